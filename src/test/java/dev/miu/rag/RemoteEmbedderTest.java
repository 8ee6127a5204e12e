package dev.miu.rag;

import com.sun.net.httpserver.HttpServer;
import dev.miu.core.ConfigurationException;
import dev.miu.core.json.Json;
import dev.miu.core.provider.ProviderException;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.ProviderSettings;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The provider embedders against a local HTTP server speaking the OpenAI {@code /v1/embeddings} and Gemini
 * {@code batchEmbedContents} wire formats: request shape, auth headers, response parsing and errors.
 */
class RemoteEmbedderTest {

    HttpServer server;
    final List<String> paths = new CopyOnWriteArrayList<>();
    final List<JsonObject> bodies = new CopyOnWriteArrayList<>();
    final List<String> auth = new CopyOnWriteArrayList<>();
    volatile int status = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                JsonObject body =
                        Json.parseObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                paths.add(exchange.getRequestURI().getPath());
                bodies.add(body);
                String key = exchange.getRequestHeaders().getFirst("authorization");
                auth.add(
                        key != null
                                ? key
                                : String.valueOf(exchange.getRequestHeaders().getFirst("x-goog-api-key")));
                String answer;
                if (status != 200) {
                    answer = "{\"error\":{\"message\":\"model not found\"}}";
                } else if (exchange.getRequestURI().getPath().endsWith(":batchEmbedContents")) {
                    var embeddings = Json.array();
                    body.getJsonArray("requests")
                            .forEach(r -> embeddings.add(Json.object()
                                    .add("values", Json.array().add(0).add(3).add(4))));
                    answer = Json.write(
                            Json.object().add("embeddings", embeddings).build());
                } else {
                    var data = Json.array();
                    var input = body.getJsonArray("input");
                    for (int i = input.size() - 1; i >= 0; i--) { // out of order on purpose: "index" decides
                        data.add(Json.object()
                                .add("object", "embedding")
                                .add("index", i)
                                .add("embedding", Json.array().add(i + 1).add(0)));
                    }
                    answer = Json.write(Json.object()
                            .add("data", data)
                            .add("model", body.getString("model"))
                            .build());
                }
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("content-type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void openAiCompatibleEmbeddings() {
        var settings = new ProviderSettings(null, null, "sk-test", base() + "/v1", null, null, null);
        Embedder e = Embedders.create("openai:text-embedding-3-small", settings, ProviderOptions.DEFAULT);
        assertEquals("openai:text-embedding-3-small", e.id());
        List<float[]> vectors = e.embed(List.of("first", "second"));
        assertArrayEquals(new float[] {1, 0}, vectors.get(0));
        assertArrayEquals(new float[] {1, 0}, vectors.get(1)); // (2, 0) scaled to unit length
        assertEquals(2, e.dimensions());
        assertEquals("/v1/embeddings", paths.getFirst());
        assertEquals("Bearer sk-test", auth.getFirst());
        assertEquals("text-embedding-3-small", bodies.getFirst().getString("model"));
        assertEquals(
                List.of("first", "second"),
                bodies.getFirst().getJsonArray("input").getValuesAs(jakarta.json.JsonString.class).stream()
                        .map(jakarta.json.JsonString::getString)
                        .toList());
    }

    @Test
    void ollamaUsesItsHostWithoutAKey() {
        var settings = new ProviderSettings(null, null, null, null, base(), null, null);
        Embedder e = Embedders.create("ollama:nomic-embed-text", settings, ProviderOptions.DEFAULT);
        e.embed("hello");
        assertEquals("/v1/embeddings", paths.getFirst());
        assertEquals("null", auth.getFirst());
    }

    @Test
    void geminiBatchEmbedContents() {
        var settings = new ProviderSettings(null, null, null, null, null, "g-key", base());
        Embedder e = Embedders.create("gemini:text-embedding-004", settings, ProviderOptions.DEFAULT);
        float[] v = e.embed("hello");
        assertArrayEquals(new float[] {0, 0.6f, 0.8f}, v, 1e-6f);
        assertEquals("/v1beta/models/text-embedding-004:batchEmbedContents", paths.getFirst());
        assertEquals("g-key", auth.getFirst());
        assertEquals(
                "models/text-embedding-004",
                bodies.getFirst().getJsonArray("requests").getJsonObject(0).getString("model"));
    }

    @Test
    void errorsAreClear() {
        status = 404;
        var settings = new ProviderSettings(null, null, "sk-test", base() + "/v1", null, null, null);
        Embedder e = Embedders.create("openai:nope", settings, ProviderOptions.DEFAULT);
        var error = assertThrows(ProviderException.class, () -> e.embed("x"));
        assertTrue(
                error.getMessage().contains("model not found")
                        && error.getMessage().contains("404"),
                error.getMessage());

        assertThrows(
                ConfigurationException.class,
                () -> Embedders.create("openai:m", ProviderSettings.NONE, ProviderOptions.DEFAULT));
        assertThrows(
                ConfigurationException.class,
                () -> Embedders.create("gemini:m", ProviderSettings.NONE, ProviderOptions.DEFAULT));
        var unknown = assertThrows(
                ConfigurationException.class,
                () -> Embedders.create("cohere:x", ProviderSettings.NONE, ProviderOptions.DEFAULT));
        assertTrue(unknown.getMessage().contains(Embedders.KNOWN));
        assertInstanceOf(
                RagException.class,
                assertThrows(
                        RagException.class,
                        () -> Embedders.create(
                                "openai:",
                                new ProviderSettings(null, null, "k", base(), null, null, null),
                                ProviderOptions.DEFAULT)));
    }
}
