package dev.miu.core.tool;

import java.util.Objects;

/** What a tool returns to the model: its output text and whether that text describes a failure. */
public record ToolResult(String output, boolean isError) {
    public ToolResult {
        Objects.requireNonNull(output, "output");
    }

    public static ToolResult ok(String output) {
        return new ToolResult(output, false);
    }

    public static ToolResult error(String message) {
        return new ToolResult(message, true);
    }
}
