/**
 * miu as an MCP server: every hosted agent is a tool ({@code ask_<agent>}) that runs a stored session's turn through
 * the chat runner. {@link dev.miu.studio.mcp.McpDispatcher} holds the protocol (lifecycle, tools, progress,
 * cancellation) once; {@link dev.miu.studio.mcp.McpHttpService} (Streamable HTTP at {@code /mcp}) and
 * {@link dev.miu.studio.mcp.McpStdioServer} ({@code miu mcp}) only carry its messages.
 */
package dev.miu.studio.mcp;
