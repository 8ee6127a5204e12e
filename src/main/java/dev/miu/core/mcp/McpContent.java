package dev.miu.core.mcp;

import dev.miu.core.json.Json;
import jakarta.json.JsonObject;

/** One content item of a tool result, as MCP defines them. */
public sealed interface McpContent {

    record Text(String text) implements McpContent {}

    /** Base64 {@code data} of an image. */
    record Image(String data, String mimeType) implements McpContent {}

    /** Base64 {@code data} of audio. */
    record Audio(String data, String mimeType) implements McpContent {}

    /** A resource embedded in the result: {@code text} or base64 {@code blob}, one of them null. */
    record Resource(String uri, String mimeType, String text, String blob) implements McpContent {}

    /** A link to a resource the client may read separately. */
    record ResourceLink(String uri, String name, String description, String mimeType) implements McpContent {}

    /** A content type this client does not know (from a newer protocol version), kept as sent. */
    record Other(String type, JsonObject json) implements McpContent {}

    static McpContent fromJson(JsonObject o) {
        String type = Json.string(o, "type", "");
        return switch (type) {
            case "text" -> new Text(Json.string(o, "text", ""));
            case "image" ->
                new Image(Json.string(o, "data", ""), Json.string(o, "mimeType", "application/octet-stream"));
            case "audio" ->
                new Audio(Json.string(o, "data", ""), Json.string(o, "mimeType", "application/octet-stream"));
            case "resource" -> {
                JsonObject r = Json.object(o, "resource");
                if (r == null) {
                    throw new McpException("A \"resource\" content item has no \"resource\" object");
                }
                yield new Resource(
                        Json.string(r, "uri", ""),
                        Json.string(r, "mimeType", null),
                        Json.string(r, "text", null),
                        Json.string(r, "blob", null));
            }
            case "resource_link" ->
                new ResourceLink(
                        Json.string(o, "uri", ""),
                        Json.string(o, "name", ""),
                        Json.string(o, "description", null),
                        Json.string(o, "mimeType", null));
            default -> new Other(type, o);
        };
    }

    /**
     * How a text-only model sees this item: text as is, a resource's text under its URI, and for binary data a
     * line saying what it is and how large, since the bytes themselves mean nothing to the model as text.
     */
    default String render() {
        return switch (this) {
            case Text t -> t.text();
            case Image i -> "[image: " + i.mimeType() + ", " + decodedSize(i.data()) + " bytes]";
            case Audio a -> "[audio: " + a.mimeType() + ", " + decodedSize(a.data()) + " bytes]";
            case Resource r
            when r.text() != null ->
                "[resource " + r.uri() + (r.mimeType() == null ? "" : " (" + r.mimeType() + ")") + "]\n" + r.text();
            case Resource r ->
                "[resource " + r.uri() + ": " + (r.mimeType() == null ? "binary" : r.mimeType()) + ", "
                        + decodedSize(r.blob() == null ? "" : r.blob()) + " bytes]";
            case ResourceLink l ->
                "[resource link " + l.uri() + (l.name().isEmpty() ? "" : " \"" + l.name() + "\"")
                        + (l.description() == null ? "" : ": " + l.description()) + "]";
            case Other o -> "[" + (o.type().isEmpty() ? "untyped" : o.type()) + " content] " + Json.write(o.json());
        };
    }

    private static long decodedSize(String base64) {
        int padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
        return Math.max(0, (long) base64.length() * 3 / 4 - padding);
    }
}
