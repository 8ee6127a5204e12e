package dev.miu.studio.a2a;

import java.time.Instant;

/** What a stream reports about a running task, before it is written in one protocol version's shape. */
sealed interface TaskUpdate {

    /** The task's status changed; {@code message} (may be null) says why, for a failure or a pause. */
    record Status(TaskState state, String message, Instant timestamp) implements TaskUpdate {}

    /**
     * Text of the answer artifact: {@code append} adds to what was sent before, else it replaces it; {@code last}
     * marks the final piece.
     */
    record Artifact(String text, boolean append, boolean last) implements TaskUpdate {}
}
