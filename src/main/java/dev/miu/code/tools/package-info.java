/**
 * The coding tools the agent works with: {@code Read}, {@code Write}, {@code Edit}, {@code Glob}, {@code Grep} and
 * {@code Bash}. Each is a plain {@link dev.miu.core.tool.Tool} value confined to the call's working directory
 * through {@link dev.miu.code.Workspace}; {@link dev.miu.code.tools.CodingTools} lists them.
 */
package dev.miu.code.tools;
