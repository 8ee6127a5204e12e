package dev.miu.core.pattern;

import java.time.Duration;

/**
 * What became of one orchestrated task.
 *
 * @param query   the question the agent was asked, or {@code null} if the task never started
 * @param elapsed time from start to result (zero if it never started)
 */
public record TaskResult(String id, String agent, String query, Outcome outcome, Duration elapsed) {}
