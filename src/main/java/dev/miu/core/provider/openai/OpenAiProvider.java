package dev.miu.core.provider.openai;

import dev.miu.core.http.HttpRequest;
import dev.miu.core.http.SseReader;
import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
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
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * OpenAI Chat Completions ({@code POST /chat/completions}), plain and streamed, for OpenAI itself and any
 * compatible server. The name it reports ({@code openai}, {@code ollama}) is the spec prefix it was made for.
 */
public final class OpenAiProvider implements Provider {

    public static final String NAME = "openai";
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final String DEFAULT_MODEL = "gpt-4.1-mini";

    private final String name;
    private final String apiKey;
    private final URI completionsUri;
    private final boolean officialApi;
    private final ProviderHttp http;

    public OpenAiProvider(String name, String apiKey, String baseUrl, ProviderOptions options) {
        this.name = name;
        this.apiKey = apiKey;
        String base = (baseUrl == null || baseUrl.isBlank()) ? DEFAULT_BASE_URL : baseUrl.strip();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        this.completionsUri = URI.create(base + "/chat/completions");
        this.officialApi = "api.openai.com".equals(completionsUri.getHost());
        this.http = new ProviderHttp(name, options, OpenAiProvider::errorMessage);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ModelResponse complete(ModelRequest request) {
        String body = requestJson(request, false);
        return http.complete(post(body), request.model(), OpenAiProvider::replay);
    }

    @Override
    public ModelResponse stream(ModelRequest request, Consumer<StreamEvent> events) {
        String body = requestJson(request, true);
        return http.stream(post(body), request.model(), events, OpenAiProvider::readStream);
    }

    private HttpRequest post(String body) {
        var request = HttpRequest.postJson(completionsUri, body);
        return apiKey == null || apiKey.isBlank() ? request : request.withHeader("authorization", "Bearer " + apiKey);
    }

    /** The Chat Completions request, written straight to text (it carries the whole conversation every call). */
    String requestJson(ModelRequest request, boolean stream) {
        return Json.generate(g -> {
            g.writeStartObject().write("model", request.model()).writeStartArray("messages");
            if (request.system() != null && !request.system().isBlank()) {
                g.writeStartObject()
                        .write("role", "system")
                        .write("content", request.system())
                        .writeEnd();
            }
            for (Message m : request.messages()) {
                if (m.role() == Role.ASSISTANT) {
                    g.writeStartObject().write("role", "assistant");
                    String text = m.text();
                    if (text.isEmpty()) {
                        g.writeNull("content");
                    } else {
                        g.write("content", text);
                    }
                    var uses = m.toolUses();
                    if (!uses.isEmpty()) {
                        g.writeStartArray("tool_calls");
                        for (ContentBlock.ToolUse u : uses) {
                            g.writeStartObject()
                                    .write("id", u.id())
                                    .write("type", "function")
                                    .writeStartObject("function")
                                    .write("name", u.name())
                                    .write("arguments", Json.write(u.input()))
                                    .writeEnd()
                                    .writeEnd();
                        }
                        g.writeEnd();
                    }
                    g.writeEnd();
                    continue;
                }
                // A user message: tool results become "tool" messages, text stays a user message.
                StringBuilder text = new StringBuilder();
                for (ContentBlock b : m.content()) {
                    switch (b) {
                        case ContentBlock.ToolResult r ->
                            g.writeStartObject()
                                    .write("role", "tool")
                                    .write("tool_call_id", r.toolUseId())
                                    .write("content", r.isError() ? "Error: " + r.content() : r.content())
                                    .writeEnd();
                        case ContentBlock.Text t -> text.append(t.text());
                        case ContentBlock.ToolUse u ->
                            throw new IllegalArgumentException("A user message cannot hold a tool call");
                    }
                }
                if (!text.isEmpty() || !m.hasToolResults()) {
                    g.writeStartObject()
                            .write("role", "user")
                            .write("content", text.toString())
                            .writeEnd();
                }
            }
            g.writeEnd();
            g.write(officialApi ? "max_completion_tokens" : "max_tokens", request.maxTokens());
            if (request.temperature() != null) {
                g.write("temperature", request.temperature());
            }
            if (!request.tools().isEmpty()) {
                g.writeStartArray("tools");
                for (ToolSpec t : request.tools()) {
                    g.writeStartObject()
                            .write("type", "function")
                            .writeStartObject("function")
                            .write("name", t.name())
                            .write("description", t.description())
                            .write("parameters", t.inputSchema())
                            .writeEnd()
                            .writeEnd();
                }
                g.writeEnd();
            }
            if (stream) {
                g.write("stream", true);
                g.writeStartObject("stream_options")
                        .write("include_usage", true)
                        .writeEnd();
            }
            g.writeEnd();
        });
    }

    /** Turns a plain completion into the events a stream would have produced. */
    static void replay(JsonObject completion, Consumer<StreamEvent> events) {
        Usage usage = usage(Json.object(completion, "usage"));
        events.accept(new StreamEvent.Start(Json.string(completion, "model", null), Usage.ZERO));
        JsonArray choices = Json.array(completion, "choices");
        if (choices == null || choices.isEmpty()) {
            throw new IllegalArgumentException("completion has no choices");
        }
        JsonObject choice = choices.getJsonObject(0);
        JsonObject message = Json.object(choice, "message");
        String content = Json.string(message, "content", "");
        if (!content.isEmpty()) {
            events.accept(new StreamEvent.TextDelta(content));
        }
        JsonArray calls = Json.array(message, "tool_calls");
        if (calls != null) {
            int index = 0;
            for (JsonValue v : calls) {
                JsonObject call = v.asJsonObject();
                JsonObject function = Json.object(call, "function");
                String id = Json.string(call, "id", "call_" + index);
                events.accept(new StreamEvent.ToolUseStart(id, Json.string(function, "name", "")));
                events.accept(new StreamEvent.ToolInputDelta(id, Json.string(function, "arguments", "{}")));
                index++;
            }
        }
        events.accept(new StreamEvent.Stop(stopReason(Json.string(choice, "finish_reason", null)), usage));
    }

    /** Reads {@code data:} chunks until {@code [DONE]}; tool-call fragments are matched to their call by index. */
    static void readStream(InputStream body, Consumer<StreamEvent> events) throws IOException {
        var sse = new SseReader(body);
        Map<Integer, String> toolIds = new HashMap<>();
        Usage usage = Usage.ZERO;
        String finishReason = null;
        boolean started = false;
        SseReader.Event event;
        while ((event = sse.next()) != null) {
            String data = event.data().strip();
            if (data.isEmpty()) {
                continue;
            }
            if (data.equals("[DONE]")) {
                break;
            }
            JsonObject chunk = Json.parseObject(data);
            JsonObject error = Json.object(chunk, "error");
            if (error != null) {
                throw new ProviderException(
                        NAME, 0, "stream error: " + Json.string(error, "message", "no message"), false);
            }
            if (!started) {
                events.accept(new StreamEvent.Start(Json.string(chunk, "model", null), Usage.ZERO));
                started = true;
            }
            JsonObject u = Json.object(chunk, "usage");
            if (u != null) {
                usage = usage(u);
            }
            JsonArray choices = Json.array(chunk, "choices");
            if (choices == null || choices.isEmpty()) {
                continue;
            }
            JsonObject choice = choices.getJsonObject(0);
            JsonObject delta = Json.object(choice, "delta");
            if (delta != null) {
                String content = Json.string(delta, "content", "");
                if (!content.isEmpty()) {
                    events.accept(new StreamEvent.TextDelta(content));
                }
                JsonArray calls = Json.array(delta, "tool_calls");
                if (calls != null) {
                    for (JsonValue v : calls) {
                        JsonObject call = v.asJsonObject();
                        int index = (int) Json.number(call, "index", toolIds.size());
                        JsonObject function = Json.object(call, "function");
                        String id = toolIds.get(index);
                        if (id == null) {
                            id = Json.string(call, "id", "call_" + index);
                            toolIds.put(index, id);
                            events.accept(new StreamEvent.ToolUseStart(id, Json.string(function, "name", "")));
                        }
                        String args = Json.string(function, "arguments", "");
                        if (!args.isEmpty()) {
                            events.accept(new StreamEvent.ToolInputDelta(id, args));
                        }
                    }
                }
            }
            String finish = Json.string(choice, "finish_reason", null);
            if (finish != null) {
                finishReason = finish;
            }
        }
        if (finishReason == null) {
            throw new IOException("stream ended before a finish_reason");
        }
        events.accept(new StreamEvent.Stop(stopReason(finishReason), usage));
    }

    static Usage usage(JsonObject u) {
        if (u == null) {
            return Usage.ZERO;
        }
        JsonObject details = Json.object(u, "prompt_tokens_details");
        return new Usage(
                Json.number(u, "prompt_tokens", 0),
                Json.number(u, "completion_tokens", 0),
                Json.number(details, "cached_tokens", 0),
                0);
    }

    static StopReason stopReason(String wire) {
        if (wire == null) {
            return StopReason.END_TURN;
        }
        return switch (wire) {
            case "tool_calls", "function_call" -> StopReason.TOOL_USE;
            case "length" -> StopReason.MAX_TOKENS;
            case "content_filter" -> StopReason.REFUSAL;
            default -> StopReason.END_TURN;
        };
    }

    static String errorMessage(String body) {
        JsonValue parsed = Json.parse(body);
        if (parsed instanceof JsonObject o) {
            JsonValue error = o.get("error");
            if (error instanceof JsonObject e) {
                return Json.string(e, "message", null);
            }
            if (error instanceof jakarta.json.JsonString s) {
                return s.getString();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "OpenAiProvider[" + name + ", " + completionsUri + "]"; // never the key
    }
}
