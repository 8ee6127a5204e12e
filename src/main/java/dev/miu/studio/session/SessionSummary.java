package dev.miu.studio.session;

import java.time.Instant;

/**
 * What a session list shows: a session without its messages.
 *
 * @param agent the session's agent, or {@code null} for the server's default (sessions stored before agents)
 */
public record SessionSummary(
        String id, String name, String model, Instant createdAt, Instant updatedAt, int messageCount, String agent) {

    /** This summary with {@code defaultAgent} when it names no agent. */
    public SessionSummary orAgent(String defaultAgent) {
        return agent != null
                ? this
                : new SessionSummary(id, name, model, createdAt, updatedAt, messageCount, defaultAgent);
    }
}
