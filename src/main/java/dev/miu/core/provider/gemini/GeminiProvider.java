package dev.miu.core.provider.gemini;

import dev.miu.core.ConfigurationException;
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
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Google Gemini ({@code POST /v1beta/models/MODEL:generateContent}, and {@code :streamGenerateContent?alt=sse}
 * whose {@code data:} frames are each a whole GenerateContentResponse). Function calls arrive whole. Gemini gives
 * calls no ids, so miu makes ones unique within the conversation, and matches results back to calls by name.
 * Thinking models sign function calls ({@code thoughtSignature}) and Gemini 3 refuses a history whose calls lost
 * their signature, so the provider remembers each call's signature by id and sends it back with the call.
 */
public final class GeminiProvider implements Provider {

    public static final String NAME = "gemini";
    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
    public static final String DEFAULT_MODEL = "gemini-2.5-flash";
    /** Prefix of the ids miu makes for calls that came without one; such ids are never sent back to Gemini. */
    static final String GENERATED_ID_PREFIX = "gemini_call_";

    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    /** Gemini's documented stand-in for a signature miu does not have (e.g. a history from another provider). */
    static final String SKIP_SIGNATURE = "skip_thought_signature_validator";

    private static final int MAX_SIGNATURES = 10_000;

    private final String apiKey;
    private final String base;
    private final ProviderHttp http;
    /** Tool-call id -> thoughtSignature Gemini sent with the call; bounded, oldest forgotten first. */
    private final Map<String, String> signatures =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > MAX_SIGNATURES;
                }
            });

    public GeminiProvider(String apiKey, String baseUrl, ProviderOptions options) {
        this.apiKey = apiKey;
        String b = (baseUrl == null || baseUrl.isBlank()) ? DEFAULT_BASE_URL : baseUrl.strip();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        // GEMINI_BASE_URL may be the host alone or already end in the API version
        this.base = b.endsWith("/v1beta") || b.endsWith("/v1") ? b : b + "/v1beta";
        this.http = new ProviderHttp(NAME, options, GeminiProvider::errorMessage);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelResponse complete(ModelRequest request) {
        URI uri = uri(request.model(), "generateContent");
        String body = Json.write(requestBody(request));
        return http.complete(post(uri, body), request.model(), (json, events) -> {
            var reader = new ChunkReader(events, signatures::put);
            reader.accept(json);
            reader.finish();
        });
    }

    @Override
    public ModelResponse stream(ModelRequest request, Consumer<StreamEvent> events) {
        URI uri = URI.create(uri(request.model(), "streamGenerateContent") + "?alt=sse");
        String body = Json.write(requestBody(request));
        return http.stream(post(uri, body), request.model(), events, (in, assembler) -> {
            var reader = new ChunkReader(assembler, signatures::put);
            var sse = new SseReader(in);
            SseReader.Event event;
            while ((event = sse.next()) != null) {
                String data = event.data().strip();
                if (!data.isEmpty()) {
                    reader.accept(Json.parseObject(data));
                }
            }
            if (!reader.finished()) {
                throw new IOException("stream ended before a finishReason");
            }
            reader.finish();
        });
    }

    private URI uri(String model, String method) {
        String name = model.startsWith("models/") ? model.substring("models/".length()) : model;
        if (!MODEL_NAME.matcher(name).matches()) {
            throw new ConfigurationException("Invalid Gemini model name '" + model + "'");
        }
        return URI.create(base + "/models/" + name + ":" + method);
    }

    private HttpRequest post(URI uri, String body) {
        var request = HttpRequest.postJson(uri, body);
        // a header, not ?key=, so the key never sits in a URL
        return apiKey == null || apiKey.isBlank() ? request : request.withHeader("x-goog-api-key", apiKey);
    }

    JsonObject requestBody(ModelRequest request) {
        var contents = Json.array();
        Map<String, String> callNames = new HashMap<>(); // tool-call id -> function name, for functionResponse
        boolean needsSignatures = request.model().contains("gemini-3");
        for (Message m : request.messages()) {
            var parts = Json.array();
            int count = 0;
            boolean signed = false; // Gemini signs the first call of a turn; the rest of the turn goes unsigned
            for (ContentBlock b : m.content()) {
                switch (b) {
                    case ContentBlock.Text t -> {
                        if (t.text().isEmpty()) {
                            continue;
                        }
                        parts.add(Json.object().add("text", t.text()));
                    }
                    case ContentBlock.ToolUse u -> {
                        callNames.put(u.id(), u.name());
                        var call = Json.object().add("name", u.name()).add("args", u.input());
                        if (!u.id().startsWith(GENERATED_ID_PREFIX)) {
                            call.add("id", u.id());
                        }
                        var part = Json.object().add("functionCall", call);
                        String signature = signatures.get(u.id());
                        if (signature == null && needsSignatures && !signed) {
                            signature = SKIP_SIGNATURE;
                        }
                        if (signature != null) {
                            part.add("thoughtSignature", signature);
                            signed = true;
                        }
                        parts.add(part);
                    }
                    case ContentBlock.ToolResult r -> {
                        String name = callNames.get(r.toolUseId());
                        if (name == null) {
                            throw new IllegalArgumentException("Tool result " + r.toolUseId()
                                    + " answers no earlier tool call; Gemini needs the call's function name");
                        }
                        var response = Json.object().add(r.isError() ? "error" : "output", r.content());
                        var fr = Json.object().add("name", name).add("response", response);
                        if (!r.toolUseId().startsWith(GENERATED_ID_PREFIX)) {
                            fr.add("id", r.toolUseId());
                        }
                        parts.add(Json.object().add("functionResponse", fr));
                    }
                }
                count++;
            }
            if (count == 0) {
                parts.add(Json.object().add("text", " ")); // Gemini refuses a content with no parts
            }
            contents.add(Json.object()
                    .add("role", m.role() == Role.ASSISTANT ? "model" : "user")
                    .add("parts", parts));
        }
        var body = Json.object().add("contents", contents);
        if (request.system() != null && !request.system().isBlank()) {
            body.add(
                    "systemInstruction",
                    Json.object().add("parts", Json.array().add(Json.object().add("text", request.system()))));
        }
        if (!request.tools().isEmpty()) {
            var declarations = Json.array();
            for (ToolSpec t : request.tools()) {
                // parametersJsonSchema takes full JSON Schema; the older "parameters" rejects e.g. additionalProperties
                declarations.add(Json.object()
                        .add("name", t.name())
                        .add("description", t.description())
                        .add("parametersJsonSchema", t.inputSchema()));
            }
            body.add("tools", Json.array().add(Json.object().add("functionDeclarations", declarations)));
        }
        var generation = Json.object().add("maxOutputTokens", request.maxTokens());
        if (request.temperature() != null) {
            generation.add("temperature", request.temperature());
        }
        body.add("generationConfig", generation);
        return body.build();
    }

    /**
     * Turns GenerateContentResponse objects (one for a plain call, many for a stream) into stream events.
     * Usage in Gemini's frames is cumulative, so the last one seen is the call's.
     */
    static final class ChunkReader {
        private final Consumer<StreamEvent> events;
        private final java.util.function.BiConsumer<String, String> signatures;
        private boolean started;
        private Usage usage = Usage.ZERO;
        private String finishReason;

        ChunkReader(Consumer<StreamEvent> events, java.util.function.BiConsumer<String, String> signatures) {
            this.events = events;
            this.signatures = signatures;
        }

        void accept(JsonObject chunk) {
            JsonObject error = Json.object(chunk, "error");
            if (error != null) {
                throw new ProviderException(
                        NAME, 0, "gemini stream error: " + Json.string(error, "message", "no message"), false);
            }
            if (!started) {
                events.accept(new StreamEvent.Start(Json.string(chunk, "modelVersion", null), Usage.ZERO));
                started = true;
            }
            JsonObject u = Json.object(chunk, "usageMetadata");
            if (u != null) {
                usage = new Usage(
                        Json.number(u, "promptTokenCount", 0),
                        Json.number(u, "candidatesTokenCount", 0) + Json.number(u, "thoughtsTokenCount", 0),
                        Json.number(u, "cachedContentTokenCount", 0),
                        0);
            }
            JsonArray candidates = Json.array(chunk, "candidates");
            if (candidates == null || candidates.isEmpty()) {
                JsonObject feedback = Json.object(chunk, "promptFeedback");
                if (feedback != null && Json.string(feedback, "blockReason", null) != null) {
                    finishReason = "SAFETY"; // the prompt itself was blocked: no candidate comes
                }
                return;
            }
            JsonObject candidate = candidates.getJsonObject(0);
            JsonArray parts = Json.array(Json.object(candidate, "content"), "parts");
            if (parts != null) {
                for (JsonValue v : parts) {
                    JsonObject part = v.asJsonObject();
                    if (part.getBoolean("thought", false)) {
                        continue; // thinking summaries are not part of the answer
                    }
                    String text = Json.string(part, "text", null);
                    if (text != null && !text.isEmpty()) {
                        events.accept(new StreamEvent.TextDelta(text));
                    }
                    JsonObject call = Json.object(part, "functionCall");
                    if (call != null) {
                        String name = Json.string(call, "name", "");
                        String id = Json.string(call, "id", null);
                        if (id == null || id.isBlank()) {
                            // random, so ids stay unique across turns, provider instances and restarts of a stored chat
                            id = GENERATED_ID_PREFIX
                                    + java.util
                                            .UUID
                                            .randomUUID()
                                            .toString()
                                            .replace("-", "")
                                            .substring(0, 16);
                        }
                        String signature = Json.string(part, "thoughtSignature", null);
                        if (signature != null && !signature.isBlank()) {
                            signatures.accept(id, signature);
                        }
                        JsonObject args = Json.object(call, "args");
                        events.accept(new StreamEvent.ToolUseStart(id, name));
                        events.accept(new StreamEvent.ToolInputDelta(
                                id, Json.write(args == null ? Json.EMPTY_OBJECT : args)));
                    }
                }
            }
            String finish = Json.string(candidate, "finishReason", null);
            if (finish != null && !finish.equals("FINISH_REASON_UNSPECIFIED")) {
                finishReason = finish;
            }
        }

        boolean finished() {
            return finishReason != null;
        }

        void finish() {
            if (!started) {
                throw new IllegalArgumentException("empty response");
            }
            events.accept(new StreamEvent.Stop(stopReason(finishReason), usage));
        }
    }

    static StopReason stopReason(String wire) {
        if (wire == null) {
            return StopReason.END_TURN;
        }
        return switch (wire) {
            case "MAX_TOKENS" -> StopReason.MAX_TOKENS;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" ->
                StopReason.REFUSAL;
            default -> StopReason.END_TURN; // STOP, also after function calls: the assembler turns that into TOOL_USE
        };
    }

    static String errorMessage(String body) {
        JsonValue parsed = Json.parse(body);
        if (parsed instanceof JsonArray a && !a.isEmpty() && a.get(0) instanceof JsonObject first) {
            parsed = first; // some Google front ends wrap the error in an array
        }
        if (parsed instanceof JsonObject o && o.get("error") instanceof JsonObject e) {
            return Json.string(e, "message", null);
        }
        return null;
    }

    @Override
    public String toString() {
        return "GeminiProvider[" + base + "]"; // never the key
    }
}
