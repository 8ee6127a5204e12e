package dev.miu.code.session;

import java.time.Instant;

/**
 * What {@code /sessions} lists about a stored session.
 *
 * @param title   the start of its first user message, or empty
 * @param updated when it was last written
 */
public record SessionInfo(
        String id, Instant created, Instant updated, String workspace, String model, int messageCount, String title) {}
