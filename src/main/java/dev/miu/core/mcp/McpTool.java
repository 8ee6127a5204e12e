package dev.miu.core.mcp;

import dev.miu.core.json.Json;
import jakarta.json.JsonObject;

import java.util.Objects;

/**
 * A tool as an MCP server lists it.
 *
 * @param inputSchema  JSON schema of the arguments (always an object schema)
 * @param annotations  the server's hints (readOnlyHint, destructiveHint, ...), empty if none
 * @param taskRequired the server accepts calls only as MCP tasks ({@code execution.taskSupport: required}),
 *                     which this client does not run
 */
public record McpTool(
        String name,
        String title,
        String description,
        JsonObject inputSchema,
        JsonObject annotations,
        boolean taskRequired) {

    public McpTool {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        inputSchema = inputSchema == null ? Json.object().add("type", "object").build() : inputSchema;
        annotations = annotations == null ? Json.EMPTY_OBJECT : annotations;
    }

    /**
     * The server says the tool does not change its environment ({@code annotations.readOnlyHint: true}). A hint, not
     * a guarantee: it is trusted because the user chose to configure the server.
     */
    public boolean readOnly() {
        return annotations.get("readOnlyHint") == jakarta.json.JsonValue.TRUE;
    }

    /** Reads one entry of a {@code tools/list} result. */
    static McpTool fromJson(JsonObject o) {
        String name = Json.string(o, "name", null);
        if (name == null || name.isEmpty()) {
            throw new McpException("tools/list returned a tool without a name");
        }
        JsonObject schema = Json.object(o, "inputSchema");
        if (schema == null) {
            schema = Json.object().add("type", "object").build();
        } else if (!schema.containsKey("type")) {
            schema = Json.PROVIDER
                    .createObjectBuilder(schema)
                    .add("type", "object")
                    .build();
        }
        JsonObject execution = Json.object(o, "execution");
        boolean taskRequired = "required".equals(Json.string(execution, "taskSupport", null));
        return new McpTool(
                name,
                Json.string(o, "title", null),
                Json.string(o, "description", ""),
                schema,
                Json.object(o, "annotations"),
                taskRequired);
    }
}
