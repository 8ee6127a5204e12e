package dev.miu.core.mcp;

import dev.miu.core.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code tools/call} returned.
 *
 * @param structuredContent the server's structured output, or {@code null}
 * @param isError           the tool ran and failed; the content says why (meant for the model to read)
 */
public record McpToolResult(List<McpContent> content, JsonObject structuredContent, boolean isError) {

    public McpToolResult {
        content = List.copyOf(content);
    }

    static McpToolResult fromJson(JsonObject result) {
        List<McpContent> items = new ArrayList<>();
        var array = Json.array(result, "content");
        if (array != null) {
            for (JsonValue v : array) {
                if (!(v instanceof JsonObject o)) {
                    throw new McpException("tools/call content items must be objects");
                }
                items.add(McpContent.fromJson(o));
            }
        }
        return new McpToolResult(items, Json.object(result, "structuredContent"), result.getBoolean("isError", false));
    }

    /** The text a model reads: every item rendered, one per paragraph; the structured output if there is nothing else. */
    public String text() {
        if (content.isEmpty()) {
            return structuredContent == null ? "" : Json.write(structuredContent);
        }
        return content.stream().map(McpContent::render).collect(Collectors.joining("\n"));
    }
}
