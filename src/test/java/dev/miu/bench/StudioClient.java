package dev.miu.bench;

import dev.miu.core.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The load generator's side of one miu server and its provider, for one thread: the studio calls a user makes,
 * and the same model request sent straight to the provider. Both go over the same minimal keep-alive HTTP/1.1
 * client ({@link HttpConnection}, one connection to each server), so the two paths pay the same client cost.
 * Every answer is checked (status, the answer's text, the stream's end event); a failed check throws.
 * {@link #copy()} gives another thread its own connections.
 */
final class StudioClient implements AutoCloseable {

    static final String MESSAGE = "Hello there";
    /** The request miu's Anthropic provider sends for a one-message session (streamed, as every chat turn is). */
    private static final byte[] PROVIDER_BODY = ("{\"model\":\"bench-model\",\"max_tokens\":4096,\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + MESSAGE
                    + "\"}]}]}")
            .getBytes(StandardCharsets.UTF_8);

    private static final byte[] NEW_SESSION = "{\"name\":\"bench\"}".getBytes(StandardCharsets.UTF_8);

    private final int miuPort;
    private final int providerPort;
    private final String apiKey;
    private final String expectedAnswer;
    private final String providerHeaders;
    /** The first text delta of the provider's answer, as its stream carries it. */
    private final String firstDelta;

    private final HttpConnection miu;
    private final HttpConnection provider;

    /**
     * @param expectedAnswer the text the provider answers with, which a whole turn must return
     */
    StudioClient(int miuPort, int providerPort, String apiKey, String expectedAnswer) {
        this.miuPort = miuPort;
        this.providerPort = providerPort;
        this.apiKey = apiKey;
        this.expectedAnswer = expectedAnswer;
        this.providerHeaders = "x-api-key: " + apiKey + "\r\nanthropic-version: 2023-06-01\r\n"
                + "accept: application/json, text/event-stream\r\n";
        int space = expectedAnswer.indexOf(' ');
        this.firstDelta =
                "\"text\":" + Json.string(space < 0 ? expectedAnswer : expectedAnswer.substring(0, space)) + "}";
        this.miu = new HttpConnection(miuPort);
        this.provider = new HttpConnection(providerPort);
    }

    /** A client for another thread: same servers, its own connections. */
    StudioClient copy() {
        return new StudioClient(miuPort, providerPort, apiKey, expectedAnswer);
    }

    int miuPort() {
        return miuPort;
    }

    String createSession() throws IOException {
        var response = miu.post("/api/v1/sessions", "", NEW_SESSION);
        if (response.status() != 200 && response.status() != 201) {
            throw new IOException("creating a session answered " + response.status() + ": " + response.text());
        }
        return Json.parseObject(response.text()).getString("id");
    }

    /**
     * One whole chat turn; throws on any answer but 200 with the provider's text.
     *
     * @return when the answer had been read (before it was checked), for timing
     */
    long invoke(String sessionId) throws IOException {
        return invoke("/api/v1/chat/invoke", sessionId);
    }

    /**
     * One whole chat turn on a peer of {@code ../shared/peers} (Spring AI, LangChain4j), which takes the same body
     * and answers {@code {"response"}} at {@code /chat/invoke}; its sessions are any id the client picks.
     */
    long invokePeer(String sessionId) throws IOException {
        return invoke("/chat/invoke", sessionId);
    }

    private long invoke(String path, String sessionId) throws IOException {
        var response = miu.post(path, "", chatBody(sessionId).getBytes(StandardCharsets.UTF_8));
        long read = System.nanoTime();
        if (response.status() != 200) {
            throw new IOException("invoke answered " + response.status() + ": " + response.text());
        }
        String answer;
        try {
            answer = Json.parseObject(response.text()).getString("response");
        } catch (RuntimeException e) {
            throw new IOException("invoke answered something else than a turn: " + response.text(), e);
        }
        if (!expectedAnswer.equals(answer)) {
            throw new IOException("invoke answered '" + answer + "', not the provider's text");
        }
        return read;
    }

    /**
     * The same model call miu makes for a turn, straight to the provider, read to its end and checked.
     *
     * @return when the answer had been read (before it was checked), for timing
     */
    long direct() throws IOException {
        var response = provider.post("/v1/messages", providerHeaders, PROVIDER_BODY);
        long read = System.nanoTime();
        if (response.status() != 200) {
            throw new IOException("the provider answered " + response.status() + ": " + response.text());
        }
        String body = response.text();
        if (!body.contains(firstDelta) || !body.endsWith("data: {\"type\":\"message_stop\"}\n\n")) {
            throw new IOException("the provider's stream did not carry the answer and end with message_stop: " + body);
        }
        return read;
    }

    StreamTiming directStream() throws IOException {
        long start = System.nanoTime();
        var timing = new StreamTiming.Builder(start);
        int status = provider.postLines(
                "/v1/messages", providerHeaders, PROVIDER_BODY, sse(timing, "content_block_delta", "message_stop"));
        if (status != 200) {
            throw new IOException("the provider answered " + status);
        }
        return timing.build();
    }

    StreamTiming sseStream(String sessionId) throws IOException {
        long start = System.nanoTime();
        var timing = new StreamTiming.Builder(start);
        int status = miu.postLines(
                "/api/v1/chat/stream",
                "",
                chatBody(sessionId).getBytes(StandardCharsets.UTF_8),
                sse(timing, "\"type\":\"chunk\"", "\"type\":\"done\""));
        if (status != 200) {
            throw new IOException("stream answered " + status);
        }
        return timing.build();
    }

    /** A WebSocket on one session; each {@link ChatSocket#turn()} sends a message and times its events. */
    ChatSocket openSocket(String sessionId) throws IOException {
        return ChatSocket.open(miuPort, sessionId);
    }

    private static HttpConnection.LineHandler sse(StreamTiming.Builder timing, String chunkMarker, String endMarker) {
        return (line, arrived) -> {
            if (line.startsWith("data:")) {
                if (line.contains(chunkMarker)) {
                    timing.chunk(arrived);
                } else if (line.contains(endMarker)) {
                    timing.end();
                } else if (line.contains("\"type\":\"error\"")) {
                    throw new IOException("error event: " + line);
                }
            }
        };
    }

    static String chatBody(String sessionId) {
        return "{\"session_id\":\"" + sessionId + "\",\"message\":\"" + MESSAGE + "\"}";
    }

    @Override
    public void close() {
        miu.close();
        provider.close();
    }
}
