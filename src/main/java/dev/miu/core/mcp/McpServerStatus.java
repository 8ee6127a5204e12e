package dev.miu.core.mcp;

/** Where a configured MCP server stands. */
public enum McpServerStatus {
    /** Being started or in its handshake. */
    STARTING,
    /** Handshake done; its tools are registered. */
    CONNECTED,
    /** Could not be started or initialized; see the error. */
    FAILED,
    /** Was connected, then the process exited or the connection broke; see the error. */
    DISCONNECTED,
    /** Shut down by miu. */
    CLOSED;

    /** Lower-case name used in JSON. */
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
