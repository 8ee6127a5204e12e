package dev.miu.studio.session;

import java.time.Instant;

/** What a session list shows: a session without its messages. */
public record SessionSummary(
        String id, String name, String model, Instant createdAt, Instant updatedAt, int messageCount) {}
