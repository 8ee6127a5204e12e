package dev.miu.core.message;

import dev.miu.core.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;

/**
 * miu's own JSON form of messages, used to persist conversations. It mirrors the Anthropic
 * content-block shape ({@code text}, {@code tool_use}, {@code tool_result}) so history is stored exactly.
 */
public final class MessageJson {

    private MessageJson() {}

    public static JsonObject toJson(Message message) {
        var blocks = Json.array();
        for (ContentBlock block : message.content()) {
            blocks.add(toJson(block));
        }
        var json = Json.object().add("role", message.role().wireName()).add("content", blocks);
        if (message.agent() != null) {
            json.add("agent", message.agent());
        }
        return json.build();
    }

    public static JsonObject toJson(ContentBlock block) {
        return switch (block) {
            case ContentBlock.Text t ->
                Json.object().add("type", "text").add("text", t.text()).build();
            case ContentBlock.ToolUse u ->
                Json.object()
                        .add("type", "tool_use")
                        .add("id", u.id())
                        .add("name", u.name())
                        .add("input", u.input())
                        .build();
            case ContentBlock.ToolResult r ->
                Json.object()
                        .add("type", "tool_result")
                        .add("tool_use_id", r.toolUseId())
                        .add("content", r.content())
                        .add("is_error", r.isError())
                        .build();
        };
    }

    public static JsonArray toJson(List<Message> messages) {
        var arr = Json.array();
        messages.forEach(m -> arr.add(toJson(m)));
        return arr.build();
    }

    /** Reads a message; a malformed one is an {@link IllegalArgumentException} naming what is wrong. */
    public static Message fromJson(JsonObject json) {
        Role role = Role.fromWire(requireString(json, "role"));
        JsonValue content = json.get("content");
        List<ContentBlock> blocks = new ArrayList<>();
        if (content instanceof jakarta.json.JsonString s) {
            blocks.add(new ContentBlock.Text(s.getString()));
        } else if (content instanceof JsonArray arr) {
            for (JsonValue v : arr) {
                if (!(v instanceof JsonObject o)) {
                    throw new IllegalArgumentException("Content block must be an object");
                }
                blocks.add(blockFromJson(o));
            }
        } else {
            throw new IllegalArgumentException("Message content must be a string or an array of blocks");
        }
        return new Message(role, blocks, Json.string(json, "agent", null));
    }

    public static List<Message> fromJson(JsonArray array) {
        List<Message> out = new ArrayList<>(array.size());
        for (JsonValue v : array) {
            if (!(v instanceof JsonObject o)) {
                throw new IllegalArgumentException("Message must be an object");
            }
            out.add(fromJson(o));
        }
        return out;
    }

    /** Reads one content block; a malformed one is an {@link IllegalArgumentException} naming what is wrong. */
    public static ContentBlock blockFromJson(JsonObject o) {
        String type = requireString(o, "type");
        return switch (type) {
            case "text" -> new ContentBlock.Text(requireString(o, "text"));
            case "tool_use" ->
                new ContentBlock.ToolUse(
                        requireString(o, "id"),
                        requireString(o, "name"),
                        o.get("input") instanceof JsonObject in ? in : Json.EMPTY_OBJECT);
            case "tool_result" ->
                new ContentBlock.ToolResult(
                        requireString(o, "tool_use_id"),
                        Json.string(o, "content", ""),
                        o.getBoolean("is_error", false));
            default -> throw new IllegalArgumentException("Unknown content block type: " + type);
        };
    }

    private static String requireString(JsonObject o, String key) {
        String s = Json.string(o, key, null);
        if (s == null) {
            throw new IllegalArgumentException("Missing string field '" + key + "'");
        }
        return s;
    }
}
