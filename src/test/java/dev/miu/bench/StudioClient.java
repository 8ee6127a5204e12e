package dev.miu.bench;

import dev.miu.core.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's side of one miu server and its provider: the studio calls a user makes, and the same
 * model request sent straight to the provider. One JDK HTTP client for both, so the two paths pay the same
 * client costs.
 */
final class StudioClient {

    static final String MESSAGE = "Hello there";
    /** The request miu's Anthropic provider sends for a one-message session (streamed, as every chat turn is). */
    private static final String PROVIDER_BODY = "{\"model\":\"bench-model\",\"max_tokens\":4096,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + MESSAGE + "\"}]}]}";

    private final HttpClient http;
    private final String miu;
    private final String provider;
    private final String apiKey;

    StudioClient(int miuPort, String providerBaseUrl, String apiKey) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        this.miu = "http://127.0.0.1:" + miuPort + "/api/v1";
        this.provider = providerBaseUrl;
        this.apiKey = apiKey;
    }

    String createSession() throws IOException, InterruptedException {
        var response = http.send(post(miu + "/sessions", "{\"name\":\"bench\"}"), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IOException("creating a session answered " + response.statusCode() + ": " + response.body());
        }
        return Json.parseObject(response.body()).getString("id");
    }

    /** One whole chat turn; throws on any answer but 200. */
    void invoke(String sessionId) throws IOException, InterruptedException {
        var response = http.send(post(miu + "/chat/invoke", chatBody(sessionId)), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("invoke answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** The same model call miu makes for a turn, straight to the provider, read to its end. */
    void direct() throws IOException, InterruptedException {
        var response = http.send(providerRequest(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("the provider answered " + response.statusCode());
        }
    }

    StreamTiming directStream() throws IOException, InterruptedException {
        long start = System.nanoTime();
        var response = http.send(providerRequest(), HttpResponse.BodyHandlers.ofInputStream());
        return readSse(start, response.body(), "content_block_delta", "message_stop");
    }

    StreamTiming sseStream(String sessionId) throws IOException, InterruptedException {
        long start = System.nanoTime();
        var response = http.send(post(miu + "/chat/stream", chatBody(sessionId)), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IOException("stream answered " + response.statusCode());
        }
        return readSse(start, response.body(), "\"type\":\"chunk\"", "\"type\":\"done\"");
    }

    /** A WebSocket on one session; each {@link ChatSocket#turn()} sends a message and times its events. */
    ChatSocket openSocket(String sessionId) {
        var listener = new ChatSocket.Listener();
        WebSocket ws = http.newWebSocketBuilder()
                .buildAsync(URI.create(miu.replace("http:", "ws:") + "/chat/ws/" + sessionId), listener)
                .orTimeout(10, TimeUnit.SECONDS).join();
        return new ChatSocket(ws, listener);
    }

    private static StreamTiming readSse(long start, InputStream body, String chunkMarker, String endMarker) throws IOException {
        var timing = new StreamTiming.Builder(start);
        try (var reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                    if (line.contains(chunkMarker)) {
                        timing.chunk(System.nanoTime());
                    } else if (line.contains(endMarker)) {
                        timing.end();
                    }
                }
            }
        }
        return timing.build();
    }

    private HttpRequest providerRequest() {
        return HttpRequest.newBuilder(URI.create(provider + "/v1/messages"))
                .header("content-type", "application/json")
                .header("x-api-key", apiKey)
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(PROVIDER_BODY))
                .timeout(Duration.ofSeconds(60))
                .build();
    }

    private static HttpRequest post(String uri, String json) {
        return HttpRequest.newBuilder(URI.create(uri))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .timeout(Duration.ofSeconds(60))
                .build();
    }

    static String chatBody(String sessionId) {
        return "{\"session_id\":\"" + sessionId + "\",\"message\":\"" + MESSAGE + "\"}";
    }

}
