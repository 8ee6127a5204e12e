package dev.miu.studio.a2a;

import java.util.Locale;

/** The states a miu task goes through; the names are A2A 1.0's without the {@code TASK_STATE_} prefix. */
enum TaskState {
    SUBMITTED,
    WORKING,
    COMPLETED,
    FAILED,
    CANCELED,
    /** The turn paused: tool calls wait for a person's approval on the miu session. */
    INPUT_REQUIRED;

    /** Completed, failed or canceled: nothing will change any more. */
    boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELED;
    }

    /** Where a blocking send stops waiting: terminal, or interrupted for input. */
    boolean settled() {
        return terminal() || this == INPUT_REQUIRED;
    }

    /** A2A 1.0's ProtoJSON name: {@code TASK_STATE_COMPLETED}. */
    String v1() {
        return "TASK_STATE_" + name();
    }

    /** A2A 0.3's name: {@code completed}, {@code input-required}. */
    String v03() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
