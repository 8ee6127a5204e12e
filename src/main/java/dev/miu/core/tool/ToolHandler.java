package dev.miu.core.tool;

import jakarta.json.JsonObject;

/** Runs a tool with arguments already checked against its schema. It may throw: the registry reports that to the model. */
@FunctionalInterface
public interface ToolHandler {
    ToolResult call(JsonObject input, ToolContext context) throws Exception;
}
