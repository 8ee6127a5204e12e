package dev.miu.studio.mcp;

import dev.miu.core.mcp.JsonRpcMessage;
import jakarta.json.JsonValue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One MCP client's session: the protocol version agreed in {@code initialize} and the tool calls it has running
 * (by request id), so a {@code notifications/cancelled} or the end of the session can stop them. Over stdio the
 * process is one session; over HTTP each {@code Mcp-Session-Id} is one.
 */
public final class McpSession {

    private final String id;
    private final Map<String, InFlightCall> calls = new ConcurrentHashMap<>();
    private volatile String protocolVersion;
    private volatile boolean initialized;
    private volatile long lastUsedNanos = System.nanoTime();

    public McpSession(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The negotiated version, or null before {@code initialize}. */
    public String protocolVersion() {
        return protocolVersion;
    }

    void protocolVersion(String version) {
        protocolVersion = version;
    }

    /** Whether the client has said {@code notifications/initialized}. */
    public boolean initialized() {
        return initialized;
    }

    void markInitialized() {
        initialized = true;
    }

    void touch() {
        lastUsedNanos = System.nanoTime();
    }

    long idleNanos() {
        return calls.isEmpty() ? System.nanoTime() - lastUsedNanos : 0; // a session with a running call is not idle
    }

    /** Registers call {@code id}; null when the client already has a call with that id running. */
    InFlightCall start(JsonValue id) {
        InFlightCall call = new InFlightCall();
        return calls.putIfAbsent(JsonRpcMessage.idKey(id), call) == null ? call : null;
    }

    int running() {
        return calls.size();
    }

    void finished(JsonValue id, InFlightCall call) {
        calls.remove(JsonRpcMessage.idKey(id), call);
        touch();
    }

    /** Stops the call with request id {@code id}, if it runs. */
    void cancel(JsonValue id) {
        InFlightCall call = calls.get(JsonRpcMessage.idKey(id));
        if (call != null) {
            call.cancel();
        }
    }

    /** The session ends: every call it runs is stopped (what they did is stored). */
    public void close() {
        calls.values().forEach(InFlightCall::cancel);
    }
}
