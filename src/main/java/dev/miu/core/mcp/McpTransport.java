package dev.miu.core.mcp;

import jakarta.json.JsonValue;

import java.time.Duration;

/**
 * Carries JSON-RPC messages to one MCP server and hands every message that comes back to the {@link Listener}
 * given to {@link #start}. Implementations: {@link StdioTransport} (a child process) and
 * {@link StreamableHttpTransport}. {@link #send} may be called from many threads at once.
 */
public interface McpTransport extends AutoCloseable {

    /** Receives what the server sends, on the transport's own threads. */
    interface Listener {
        void onMessage(JsonRpcMessage message);

        /** Request {@code id} can get no answer (its HTTP exchange failed); {@code cause} says why. */
        void onRequestFailed(JsonValue id, McpException cause);

        /** The connection is gone for good (process exited, stream broken); {@code cause} says why. */
        void onClosed(McpException cause);
    }

    /** Opens the connection (starts the process); a failure is an {@link McpException} naming the cause. */
    void start(Listener listener);

    /** Sends one message; an I/O failure is an {@link McpException}. */
    void send(JsonRpcMessage message);

    /**
     * The {@code initialize} handshake agreed on {@code protocolVersion}; called before
     * {@code notifications/initialized} is sent (HTTP puts the version in a header from then on).
     */
    default void protocolVersion(String protocolVersion) {}

    /** The handshake is complete: HTTP may now open its stream for messages the server starts. */
    default void ready() {}

    /** The caller gave up waiting for request {@code id} (timeout, interrupt): stop reading its answer. */
    default void abandon(JsonValue id) {}

    /** A short human description for logs and status ("stdio: npx ...", "http: https://..."). */
    String describe();

    /** Shuts the connection down and frees its resources, waiting at most {@code grace} for a clean exit. */
    void close(Duration grace);

    @Override
    default void close() {
        close(Duration.ofSeconds(2));
    }
}
