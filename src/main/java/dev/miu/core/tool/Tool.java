package dev.miu.core.tool;

import jakarta.json.JsonObject;

import java.util.Objects;

/** A tool: what the model is told about it, and the code that runs it. */
public record Tool(ToolSpec spec, ToolHandler handler) {
    public Tool {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(handler, "handler");
    }

    public static Tool of(String name, String description, JsonObject inputSchema, ToolHandler handler) {
        return new Tool(new ToolSpec(name, description, inputSchema), handler);
    }

    public String name() {
        return spec.name();
    }
}
