/**
 * The one place that decides which tools studio agents get: {@link dev.miu.studio.tools.StudioTools} combines
 * {@link dev.miu.studio.tools.ToolSource}s (the built-in tools named in app.yaml's {@code studio.tools} today;
 * MCP servers and retrieval plug in the same way).
 */
package dev.miu.studio.tools;
