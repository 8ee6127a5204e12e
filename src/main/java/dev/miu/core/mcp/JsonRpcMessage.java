package dev.miu.core.mcp;

import dev.miu.core.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Objects;

/**
 * One JSON-RPC 2.0 message as MCP uses it. Ids are kept as the JSON value the peer sent (a string or a number)
 * so a reply carries exactly that id back; {@link #idKey} gives the form used to match replies to requests.
 */
public sealed interface JsonRpcMessage {

    /** A call that expects a {@link Response} or {@link ErrorResponse} with the same id. */
    record Request(JsonValue id, String method, JsonObject params) implements JsonRpcMessage {
        public Request {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(method, "method");
        }
    }

    /** A one-way message: nobody answers it. */
    record Notification(String method, JsonObject params) implements JsonRpcMessage {
        public Notification {
            Objects.requireNonNull(method, "method");
        }
    }

    /** The successful answer to request {@code id}. */
    record Response(JsonValue id, JsonObject result) implements JsonRpcMessage {
        public Response {
            Objects.requireNonNull(id, "id");
            result = result == null ? Json.EMPTY_OBJECT : result;
        }
    }

    /** The failed answer to request {@code id} ({@link JsonValue#NULL} when the peer could not read the id). */
    record ErrorResponse(JsonValue id, int code, String message, JsonValue data) implements JsonRpcMessage {
        public static final int PARSE_ERROR = -32700;
        public static final int INVALID_REQUEST = -32600;
        public static final int METHOD_NOT_FOUND = -32601;
        public static final int INVALID_PARAMS = -32602;
        public static final int INTERNAL_ERROR = -32603;

        public ErrorResponse {
            Objects.requireNonNull(id, "id");
            message = message == null ? "" : message;
        }
    }

    /** The key replies are matched by: {@code n:42} for numbers, {@code s:abc} for strings. */
    static String idKey(JsonValue id) {
        return switch (id) {
            case JsonNumber n -> "n:" + n.bigDecimalValue().stripTrailingZeros().toPlainString();
            case JsonString s -> "s:" + s.getString();
            default -> "?:" + id;
        };
    }

    /** Serialises to the wire form, with {@code "jsonrpc":"2.0"}. */
    default JsonObject toJson() {
        var b = Json.object().add("jsonrpc", "2.0");
        switch (this) {
            case Request r -> {
                b.add("id", r.id()).add("method", r.method());
                if (r.params() != null) {
                    b.add("params", r.params());
                }
            }
            case Notification n -> {
                b.add("method", n.method());
                if (n.params() != null) {
                    b.add("params", n.params());
                }
            }
            case Response r -> b.add("id", r.id()).add("result", r.result());
            case ErrorResponse e -> {
                var error = Json.object().add("code", e.code()).add("message", e.message());
                if (e.data() != null) {
                    error.add("data", e.data());
                }
                b.add("id", e.id()).add("error", error);
            }
        }
        return b.build();
    }

    /**
     * Reads one message object. Anything that is not a JSON-RPC 2.0 request, notification or response is an
     * {@link McpException} naming what is wrong.
     */
    static JsonRpcMessage fromJson(JsonObject o) {
        if (!"2.0".equals(Json.string(o, "jsonrpc", null))) {
            throw new McpException("Not a JSON-RPC 2.0 message (missing \"jsonrpc\":\"2.0\"): " + abbreviate(o));
        }
        JsonValue id = o.get("id");
        boolean hasId = id != null && id.getValueType() != JsonValue.ValueType.NULL;
        if (hasId && !(id instanceof JsonString) && !(id instanceof JsonNumber)) {
            throw new McpException("JSON-RPC id must be a string or a number: " + abbreviate(o));
        }
        String method = Json.string(o, "method", null);
        if (method != null) {
            JsonValue params = o.get("params");
            if (params != null
                    && !(params instanceof JsonObject)
                    && params.getValueType() != JsonValue.ValueType.NULL) {
                throw new McpException("JSON-RPC params must be an object for MCP method " + method);
            }
            JsonObject p = params instanceof JsonObject po ? po : null;
            return hasId ? new Request(id, method, p) : new Notification(method, p);
        }
        if (o.containsKey("error")) {
            JsonObject error = Json.object(o, "error");
            if (error == null) {
                throw new McpException("JSON-RPC error must be an object: " + abbreviate(o));
            }
            return new ErrorResponse(
                    hasId ? id : JsonValue.NULL,
                    (int) Json.number(error, "code", ErrorResponse.INTERNAL_ERROR),
                    Json.string(error, "message", "(no message)"),
                    error.get("data"));
        }
        if (o.containsKey("result") && hasId) {
            JsonObject result = Json.object(o, "result");
            if (result == null) {
                throw new McpException("MCP results must be JSON objects: " + abbreviate(o));
            }
            return new Response(id, result);
        }
        throw new McpException("Not a JSON-RPC request, notification or response: " + abbreviate(o));
    }

    private static String abbreviate(JsonObject o) {
        String s = Json.write(o);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
