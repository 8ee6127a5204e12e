package dev.miu.core.mcp;

import java.util.List;

/**
 * A snapshot of one configured server.
 *
 * @param error  why it failed or disconnected, else {@code null}
 * @param info   what it said at initialize, or {@code null} before that
 * @param tools  its tools as registered in miu
 */
public record McpServerState(
        String name,
        McpServerConfig config,
        McpServerStatus status,
        String error,
        McpServerInfo info,
        List<McpToolBridge.Bridged> tools) {
    public McpServerState {
        tools = List.copyOf(tools);
    }
}
