/**
 * Model Context Protocol client: JSON-RPC 2.0 over a child process's stdio or over Streamable HTTP,
 * the {@code initialize} handshake with version negotiation, paginated {@code tools/list}, {@code tools/call},
 * ping, timeouts and cancellation. {@link dev.miu.core.mcp.McpToolBridge} turns a server's tools into miu
 * {@link dev.miu.core.tool.Tool}s named {@code SERVER__tool}; {@link dev.miu.core.mcp.McpServers} starts every
 * configured server, keeps their tools in a registry up to date and reports each server's status.
 * Written on JSON-P and miu's own HTTP client ({@code dev.miu.core.http}): no MCP SDK, no web server.
 */
package dev.miu.core.mcp;
