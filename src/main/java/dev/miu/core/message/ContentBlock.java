package dev.miu.core.message;

import jakarta.json.JsonObject;

import java.util.Objects;

/** One piece of a message: text, a tool call the model made, or the result of running it. */
public sealed interface ContentBlock {

    /** Plain text from the user or the model. */
    record Text(String text) implements ContentBlock {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The model asks to run tool {@code name} with {@code input}; {@code id} pairs it with its result. */
    record ToolUse(String id, String name, JsonObject input) implements ContentBlock {
        public ToolUse {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(input, "input");
        }
    }

    /** What running the tool call {@code toolUseId} produced; {@code isError} tells the model it failed. */
    record ToolResult(String toolUseId, String content, boolean isError) implements ContentBlock {
        public ToolResult {
            Objects.requireNonNull(toolUseId, "toolUseId");
            Objects.requireNonNull(content, "content");
        }
    }
}
