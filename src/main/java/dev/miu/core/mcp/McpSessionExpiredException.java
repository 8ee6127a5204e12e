package dev.miu.core.mcp;

/** A Streamable HTTP server no longer knows our {@code Mcp-Session-Id} (it answered 404): start a new session. */
public final class McpSessionExpiredException extends McpException {
    public McpSessionExpiredException(String message) {
        super(message);
    }
}
