package dev.miu.code.tui;

import java.util.List;

/** One item of the TUI's transcript. */
sealed interface Entry {

    /** What the user typed. */
    record UserInput(String text) implements Entry {}

    /** The model's answer text (replaced as more streams in). */
    record Answer(String text) implements Entry {}

    /** A tool call and, once it finished, its result preview. */
    record ToolCard(String id, String summary, Status status, List<String> preview) implements Entry {
        public ToolCard {
            preview = List.copyOf(preview);
        }
    }

    /** A message from miu itself: command output, errors, notices. */
    record Notice(String text, boolean error) implements Entry {}

    enum Status {
        RUNNING,
        OK,
        ERROR
    }
}
