package dev.miu.rag;

import dev.miu.core.http.HttpRequest;
import dev.miu.core.json.Json;
import dev.miu.core.provider.ProviderHttp;
import dev.miu.core.provider.ProviderOptions;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Embeddings from Google Gemini's {@code models/MODEL:batchEmbedContents} (e.g. {@code text-embedding-004}). */
public final class GeminiEmbedder implements Embedder {

    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";

    private final String model;
    private final String apiKey;
    private final String baseUrl;
    private final ProviderHttp http;
    private volatile int dimensions;

    public GeminiEmbedder(String model, String apiKey, String baseUrl, ProviderOptions options) {
        if (model == null || model.isBlank()) {
            throw new RagException("Name the embedding model, e.g. gemini:text-embedding-004");
        }
        if (apiKey == null) {
            throw new dev.miu.core.ConfigurationException("No API key for gemini embeddings: set GEMINI_API_KEY");
        }
        this.model = model;
        this.apiKey = apiKey;
        String base = baseUrl == null ? DEFAULT_BASE_URL : baseUrl;
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.http = new ProviderHttp("gemini", options, body -> {
            JsonObject error = Json.object(Json.parseObject(body), "error");
            return error == null ? null : Json.string(error, "message", null);
        });
    }

    @Override
    public String id() {
        return "gemini:" + model;
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
        return 100;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        Embedder.requireTexts(texts);
        var requests = Json.array();
        for (String text : texts) {
            requests.add(Json.object()
                    .add("model", "models/" + model)
                    .add(
                            "content",
                            Json.object()
                                    .add("parts", Json.array().add(Json.object().add("text", text)))));
        }
        String body = Json.write(Json.object().add("requests", requests).build());
        JsonObject response = http.postForJson(
                HttpRequest.postJson(URI.create(baseUrl + "/v1beta/models/" + model + ":batchEmbedContents"), body)
                        .withHeader("x-goog-api-key", apiKey));
        JsonArray embeddings = Json.array(response, "embeddings");
        if (embeddings == null || embeddings.size() != texts.size()) {
            throw new RagException("gemini returned " + (embeddings == null ? "no" : embeddings.size())
                    + " embeddings for " + texts.size() + " texts");
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (int i = 0; i < embeddings.size(); i++) {
            out.add(Embedder.normalize(
                    OpenAiEmbedder.vector(embeddings.getJsonObject(i).getJsonArray("values"))));
        }
        dimensions = out.getFirst().length;
        return out;
    }
}
