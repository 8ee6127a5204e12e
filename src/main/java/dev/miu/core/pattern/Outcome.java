package dev.miu.core.pattern;

import dev.miu.core.agent.Response;

/** What happened to one unit of work in a pattern (a task, a stage): it answered, failed, was cancelled or never ran. */
public sealed interface Outcome {

    /** The agent answered. */
    record Succeeded(Response response) implements Outcome {}

    /** The agent (or building its query) failed; {@code error} says how. */
    record Failed(String error) implements Outcome {}

    /** It was running and was stopped: fail-fast after another failure, or the caller cancelled. */
    record Cancelled(String reason) implements Outcome {}

    /** It never ran, e.g. because a task it depends on failed. */
    record Skipped(String reason) implements Outcome {}

    default boolean succeeded() {
        return this instanceof Succeeded;
    }

    /** The answer text, or empty when there is none. */
    default String text() {
        return this instanceof Succeeded s ? s.response().text() : "";
    }

    /** One line saying what happened, for logs and reports. */
    default String describe() {
        return switch (this) {
            case Succeeded s -> "succeeded";
            case Failed f -> "failed: " + f.error();
            case Cancelled c -> "cancelled: " + c.reason();
            case Skipped s -> "skipped: " + s.reason();
        };
    }
}
