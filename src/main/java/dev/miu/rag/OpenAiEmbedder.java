package dev.miu.rag;

import dev.miu.core.http.HttpRequest;
import dev.miu.core.json.Json;
import dev.miu.core.provider.ProviderHttp;
import dev.miu.core.provider.ProviderOptions;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeddings from an OpenAI-compatible {@code POST /v1/embeddings} endpoint: OpenAI itself, Ollama
 * ({@code http://localhost:11434/v1}), vLLM, LM Studio and others. Retries like the chat providers do. The vector
 * length is learned from the first answer.
 */
public final class OpenAiEmbedder implements Embedder {

    private final String provider;
    private final String model;
    private final String apiKey;
    private final String baseUrl;
    private final ProviderHttp http;
    private volatile int dimensions;

    /**
     * @param provider name for ids and errors ({@code openai}, {@code ollama})
     * @param apiKey   bearer token, or null for servers that need none
     * @param baseUrl  the API root ending in {@code /v1}
     */
    public OpenAiEmbedder(String provider, String model, String apiKey, String baseUrl, ProviderOptions options) {
        if (model == null || model.isBlank()) {
            throw new RagException("Name the embedding model, e.g. " + provider + ":text-embedding-3-small");
        }
        this.provider = provider;
        this.model = model;
        this.apiKey = apiKey;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = new ProviderHttp(provider, options, OpenAiEmbedder::errorMessage);
    }

    @Override
    public String id() {
        return provider + ":" + model;
    }

    @Override
    public int dimensions() {
        if (dimensions == 0) {
            dimensions = embed(List.of("dimensions")).getFirst().length;
        }
        return dimensions;
    }

    @Override
    public int batchSize() {
        return 64;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        Embedder.requireTexts(texts);
        var input = Json.array();
        texts.forEach(input::add);
        String body = Json.write(Json.object()
                .add("model", model)
                .add("input", input)
                .add("encoding_format", "float")
                .build());
        var request = HttpRequest.postJson(URI.create(baseUrl + "/embeddings"), body);
        if (apiKey != null) {
            request = request.withHeader("authorization", "Bearer " + apiKey);
        }
        JsonObject response = http.postForJson(request);
        JsonArray data = Json.array(response, "data");
        if (data == null || data.size() != texts.size()) {
            throw new RagException(provider + " returned " + (data == null ? "no" : data.size()) + " embeddings for "
                    + texts.size() + " texts");
        }
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < data.size(); i++) {
            JsonObject item = data.getJsonObject(i);
            int index = item.containsKey("index") ? item.getInt("index") : i;
            if (index < 0 || index >= out.length) {
                throw new RagException(provider + " returned an embedding with index " + index);
            }
            out[index] = Embedder.normalize(vector(item.getJsonArray("embedding")));
        }
        List<float[]> vectors = new ArrayList<>(List.of(out));
        int length = vectors.getFirst().length;
        if (dimensions != 0 && length != dimensions) {
            throw new RagException(provider + " returned vectors of length " + length + ", earlier " + dimensions);
        }
        dimensions = length;
        return vectors;
    }

    static float[] vector(JsonArray values) {
        if (values == null || values.isEmpty()) {
            throw new RagException("The embedding response holds an empty vector");
        }
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            JsonValue value = values.get(i);
            if (!(value instanceof JsonNumber n)) {
                throw new RagException("The embedding response holds a non-number: " + value);
            }
            v[i] = (float) n.doubleValue();
        }
        return v;
    }

    private static String errorMessage(String body) {
        JsonObject error = Json.object(Json.parseObject(body), "error");
        return error == null ? null : Json.string(error, "message", null);
    }
}
