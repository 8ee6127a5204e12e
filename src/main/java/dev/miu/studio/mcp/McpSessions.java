package dev.miu.studio.mcp;

import dev.miu.studio.StudioException;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Streamable HTTP sessions the studio holds: at most {@code maxSessions}, each forgotten once idle for
 * {@code idleTimeout} (its client then gets 404 and initializes again, as the spec provides). Only the protocol
 * state lives here; the conversations are stored sessions, which outlive it.
 */
public final class McpSessions {

    private final Map<String, McpSession> open = new ConcurrentHashMap<>();
    private final int maxSessions;
    private final Duration idleTimeout;

    public McpSessions(int maxSessions, Duration idleTimeout) {
        if (maxSessions < 1 || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("MCP session limits must be positive");
        }
        this.maxSessions = maxSessions;
        this.idleTimeout = idleTimeout;
    }

    /** A new session with an unguessable id; 503 when {@code maxSessions} are open and none has expired. */
    McpSession open() {
        expire();
        if (open.size() >= maxSessions) {
            throw new StudioException(
                    503,
                    "Too many MCP sessions are open (" + maxSessions + "); end one with DELETE /mcp or retry later");
        }
        McpSession session = new McpSession(UUID.randomUUID().toString());
        open.put(session.id(), session);
        return session;
    }

    Optional<McpSession> find(String id) {
        McpSession session = open.get(id);
        if (session != null && session.idleNanos() > idleTimeout.toNanos()) {
            close(id);
            return Optional.empty();
        }
        return Optional.ofNullable(session);
    }

    /** Ends session {@code id}, stopping its running calls. */
    void close(String id) {
        McpSession session = open.remove(id);
        if (session != null) {
            session.close();
        }
    }

    /** Ends every session (the server stops). */
    public void closeAll() {
        open.keySet().forEach(this::close);
    }

    int size() {
        return open.size();
    }

    private void expire() {
        long limit = idleTimeout.toNanos();
        open.forEach((id, s) -> {
            if (s.idleNanos() > limit) {
                close(id);
            }
        });
    }
}
