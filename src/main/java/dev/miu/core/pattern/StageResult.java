package dev.miu.core.pattern;

import java.time.Duration;

/**
 * What became of one pipeline stage.
 *
 * @param query the question the stage's agent was asked, or {@code null} if it never ran or its query could not be built
 */
public record StageResult(String stage, String query, Outcome outcome, Duration elapsed) {}
