package dev.miu.core.provider.anthropic;

import dev.miu.core.http.HttpRequest;
import dev.miu.core.http.SseReader;
import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.provider.ModelRequest;
import dev.miu.core.provider.ModelResponse;
import dev.miu.core.provider.Provider;
import dev.miu.core.provider.ProviderException;
import dev.miu.core.provider.ProviderHttp;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.StreamEvent;
import dev.miu.core.tool.ToolSpec;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Anthropic's Messages API ({@code POST /v1/messages}), plain and streamed. */
public final class AnthropicProvider implements Provider {

    public static final String NAME = "anthropic";
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    public static final String DEFAULT_MODEL = "claude-sonnet-4-5";
    static final String API_VERSION = "2023-06-01";

    private final String apiKey;
    private final URI messagesUri;
    private final ProviderHttp http;

    public AnthropicProvider(String apiKey, String baseUrl, ProviderOptions options) {
        this.apiKey = apiKey;
        String base = (baseUrl == null || baseUrl.isBlank()) ? DEFAULT_BASE_URL : baseUrl.strip();
        this.messagesUri = URI.create(stripSlash(base) + (stripSlash(base).endsWith("/v1") ? "" : "/v1") + "/messages");
        this.http = new ProviderHttp(NAME, options, AnthropicProvider::errorMessage);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelResponse complete(ModelRequest request) {
        String body = requestJson(request, false);
        return http.complete(post(body), request.model(), AnthropicProvider::replay);
    }

    @Override
    public ModelResponse stream(ModelRequest request, Consumer<StreamEvent> events) {
        String body = requestJson(request, true);
        return http.stream(post(body), request.model(), events, AnthropicProvider::readStream);
    }

    private HttpRequest post(String body) {
        var request = HttpRequest.postJson(messagesUri, body)
                .withHeader("accept", "application/json, text/event-stream")
                .withHeader("anthropic-version", API_VERSION);
        return apiKey == null || apiKey.isBlank() ? request : request.withHeader("x-api-key", apiKey);
    }

    /** The Messages API request, written straight to text (it carries the whole conversation every call). */
    static String requestJson(ModelRequest request, boolean stream) {
        return Json.generate(g -> {
            g.writeStartObject()
                    .write("model", request.model())
                    .write("max_tokens", request.maxTokens())
                    .writeStartArray("messages");
            for (Message m : request.messages()) {
                g.writeStartObject().write("role", m.role().wireName()).writeStartArray("content");
                for (ContentBlock b : m.content()) {
                    g.writeStartObject();
                    switch (b) {
                        case ContentBlock.Text t -> g.write("type", "text").write("text", t.text());
                        case ContentBlock.ToolUse u ->
                            g.write("type", "tool_use")
                                    .write("id", u.id())
                                    .write("name", u.name())
                                    .write("input", u.input());
                        case ContentBlock.ToolResult r ->
                            g.write("type", "tool_result")
                                    .write("tool_use_id", r.toolUseId())
                                    .write("content", r.content())
                                    .write("is_error", r.isError());
                    }
                    g.writeEnd();
                }
                g.writeEnd().writeEnd();
            }
            g.writeEnd();
            if (request.system() != null && !request.system().isBlank()) {
                g.write("system", request.system());
            }
            if (request.temperature() != null) {
                g.write("temperature", request.temperature());
            }
            if (!request.tools().isEmpty()) {
                g.writeStartArray("tools");
                for (ToolSpec t : request.tools()) {
                    g.writeStartObject()
                            .write("name", t.name())
                            .write("description", t.description())
                            .write("input_schema", t.inputSchema())
                            .writeEnd();
                }
                g.writeEnd();
            }
            if (stream) {
                g.write("stream", true);
            }
            g.writeEnd();
        });
    }

    /** Turns a plain Messages response into the same events a stream would have produced. */
    static void replay(JsonObject message, Consumer<StreamEvent> events) {
        JsonObject usage = Json.object(message, "usage");
        events.accept(new StreamEvent.Start(Json.string(message, "model", null), usage(usage, Usage.ZERO)));
        var content = Json.array(message, "content");
        if (content != null) {
            for (JsonValue v : content) {
                JsonObject block = v.asJsonObject();
                switch (Json.string(block, "type", "")) {
                    case "text" -> events.accept(new StreamEvent.TextDelta(Json.string(block, "text", "")));
                    case "tool_use" -> {
                        String id = Json.string(block, "id", "");
                        events.accept(new StreamEvent.ToolUseStart(id, Json.string(block, "name", "")));
                        JsonObject input = Json.object(block, "input");
                        events.accept(new StreamEvent.ToolInputDelta(
                                id, Json.write(input == null ? Json.EMPTY_OBJECT : input)));
                    }
                    default -> {
                        // thinking and other block kinds are not part of miu's conversation model
                    }
                }
            }
        }
        events.accept(
                new StreamEvent.Stop(stopReason(Json.string(message, "stop_reason", null)), usage(usage, Usage.ZERO)));
    }

    /** Reads the Messages SSE stream: message_start, content_block_*, message_delta, message_stop, ping, error. */
    static void readStream(InputStream body, Consumer<StreamEvent> events) throws IOException {
        var sse = new SseReader(body);
        Map<Integer, String> toolIdsByIndex = new HashMap<>();
        Usage usage = Usage.ZERO;
        StopReason stopReason = null;
        SseReader.Event event;
        while ((event = sse.next()) != null) {
            if (event.data().isBlank()) {
                continue;
            }
            // named events whose data says nothing more are not parsed
            switch (event.name()) {
                case "ping", "content_block_stop" -> {
                    continue;
                }
                case "message_stop" -> {
                    events.accept(new StreamEvent.Stop(stopReason == null ? StopReason.END_TURN : stopReason, usage));
                    return;
                }
                case "content_block_delta" -> {
                    delta(event.data(), toolIdsByIndex, events);
                    continue;
                }
                default -> {
                    // read below
                }
            }
            JsonObject data = Json.parseObject(event.data());
            String type = Json.string(data, "type", event.name());
            switch (type) {
                case "message_start" -> {
                    JsonObject message = Json.object(data, "message");
                    usage = usage(Json.object(message, "usage"), usage);
                    events.accept(new StreamEvent.Start(Json.string(message, "model", null), usage));
                }
                case "content_block_start" -> {
                    JsonObject block = Json.object(data, "content_block");
                    int index = (int) Json.number(data, "index", 0);
                    String blockType = Json.string(block, "type", "");
                    if (blockType.equals("tool_use")) {
                        String id = Json.string(block, "id", "");
                        toolIdsByIndex.put(index, id);
                        events.accept(new StreamEvent.ToolUseStart(id, Json.string(block, "name", "")));
                    } else if (blockType.equals("text")) {
                        String text = Json.string(block, "text", "");
                        if (!text.isEmpty()) {
                            events.accept(new StreamEvent.TextDelta(text));
                        }
                    }
                }
                case "content_block_delta" -> delta(event.data(), toolIdsByIndex, events); // an unnamed event
                case "message_delta" -> {
                    stopReason = stopReason(Json.string(Json.object(data, "delta"), "stop_reason", null));
                    usage = usage(Json.object(data, "usage"), usage);
                }
                case "message_stop" -> {
                    events.accept(new StreamEvent.Stop(stopReason == null ? StopReason.END_TURN : stopReason, usage));
                    return;
                }
                case "error" -> {
                    JsonObject error = Json.object(data, "error");
                    String kind = Json.string(error, "type", "error");
                    throw new ProviderException(
                            NAME,
                            0,
                            NAME + " stream error (" + kind + "): " + Json.string(error, "message", "no message"),
                            kind.equals("overloaded_error"));
                }
                default -> {
                    // ping, content_block_stop and future event types need no action
                }
            }
        }
        throw new IOException("stream ended without message_stop");
    }

    /**
     * A {@code content_block_delta}: text, or a fragment of a tool call's input JSON. Most of a stream's events are
     * these, so their few fields are read with a streaming parser instead of building an object per event: that
     * took the server's CPU per chat turn at 64 clients from about 287 to 205 µs (BENCHMARKS.md).
     */
    private static void delta(String data, Map<Integer, String> toolIdsByIndex, Consumer<StreamEvent> events)
            throws IOException {
        int index = 0;
        String kind = "";
        String text = "";
        String partialJson = "";
        try (JsonParser parser = Json.parser(data)) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw new IllegalArgumentException("Malformed JSON: a content_block_delta that is not an object");
            }
            while (parser.next() == JsonParser.Event.KEY_NAME) {
                String key = parser.getString();
                JsonParser.Event value = parser.next();
                if (key.equals("index") && value == JsonParser.Event.VALUE_NUMBER) {
                    index = parser.getInt();
                } else if (key.equals("delta") && value == JsonParser.Event.START_OBJECT) {
                    while (parser.next() == JsonParser.Event.KEY_NAME) {
                        String field = parser.getString();
                        JsonParser.Event fieldValue = parser.next();
                        if (fieldValue == JsonParser.Event.VALUE_STRING) {
                            switch (field) {
                                case "type" -> kind = parser.getString();
                                case "text" -> text = parser.getString();
                                case "partial_json" -> partialJson = parser.getString();
                                default -> {
                                    // thinking, signature, citations: not part of miu's model
                                }
                            }
                        } else {
                            skip(parser, fieldValue);
                        }
                    }
                } else {
                    skip(parser, value);
                }
            }
        } catch (jakarta.json.JsonException | java.util.NoSuchElementException e) {
            throw new IllegalArgumentException("Malformed JSON in content_block_delta: " + e.getMessage(), e);
        }
        switch (kind) {
            case "text_delta" -> events.accept(new StreamEvent.TextDelta(text));
            case "input_json_delta" -> {
                String id = toolIdsByIndex.get(index);
                if (id == null) {
                    throw new IOException("input_json_delta for block " + index + " that is not a tool call");
                }
                events.accept(new StreamEvent.ToolInputDelta(id, partialJson));
            }
            default -> {
                // thinking_delta, signature_delta, citations: not part of miu's model
            }
        }
    }

    /** Skips the value that began with {@code event}, nested objects and arrays included. */
    private static void skip(JsonParser parser, JsonParser.Event event) {
        if (event == JsonParser.Event.START_OBJECT) {
            parser.skipObject();
        } else if (event == JsonParser.Event.START_ARRAY) {
            parser.skipArray();
        }
    }

    /** Merges a usage object into {@code previous}: fields present replace, absent ones keep their value. */
    static Usage usage(JsonObject u, Usage previous) {
        if (u == null) {
            return previous;
        }
        return new Usage(
                u.containsKey("input_tokens") ? Json.number(u, "input_tokens", 0) : previous.inputTokens(),
                u.containsKey("output_tokens") ? Json.number(u, "output_tokens", 0) : previous.outputTokens(),
                u.containsKey("cache_read_input_tokens")
                        ? Json.number(u, "cache_read_input_tokens", 0)
                        : previous.cacheReadTokens(),
                u.containsKey("cache_creation_input_tokens")
                        ? Json.number(u, "cache_creation_input_tokens", 0)
                        : previous.cacheWriteTokens());
    }

    static StopReason stopReason(String wire) {
        if (wire == null) {
            return StopReason.END_TURN;
        }
        return switch (wire) {
            case "tool_use" -> StopReason.TOOL_USE;
            case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
            case "stop_sequence" -> StopReason.STOP_SEQUENCE;
            case "refusal" -> StopReason.REFUSAL;
            default -> StopReason.END_TURN;
        };
    }

    static String errorMessage(String body) {
        JsonObject error = Json.object(Json.parseObject(body), "error");
        if (error == null) {
            return null;
        }
        String type = Json.string(error, "type", null);
        String message = Json.string(error, "message", null);
        return type == null ? message : type + ": " + message;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public String toString() {
        return "AnthropicProvider[" + messagesUri + "]"; // never the key
    }
}
