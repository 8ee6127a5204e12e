package dev.miu.core.tool;

import jakarta.json.JsonObject;

import java.util.Objects;

/** What a model is told about a tool: its name, what it does, and the JSON schema of its input. */
public record ToolSpec(String name, String description, JsonObject inputSchema) {
    public ToolSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(inputSchema, "inputSchema");
        if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("Tool name must be 1-64 letters, digits, '_' or '-': " + name);
        }
    }
}
