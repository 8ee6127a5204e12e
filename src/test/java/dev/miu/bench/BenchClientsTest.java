package dev.miu.bench;

import dev.miu.core.message.Message;
import dev.miu.core.message.StopReason;
import dev.miu.core.provider.ModelRequest;
import dev.miu.core.provider.ModelResponse;
import dev.miu.core.provider.StreamEvent;
import dev.miu.core.provider.TestOptions;
import dev.miu.core.provider.anthropic.AnthropicProvider;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark's own clients and provider are only worth their figures if they speak the protocols right: miu's
 * real Anthropic provider parses the canned provider's answers, the raw HTTP client reads chunked and
 * Content-Length answers and survives a closed keep-alive connection, and the raw WebSocket client talks to
 * Helidon's WebSocket server (masked frames, fragments, close).
 */
@Timeout(30)
class BenchClientsTest {

    static final String ANSWER = "one two three four";
    static CannedProvider canned;

    @BeforeAll
    static void start() throws IOException {
        canned = CannedProvider.start(Reply.text(ANSWER), true);
    }

    @AfterAll
    static void stop() throws IOException {
        canned.close();
    }

    static ModelRequest request() {
        return new ModelRequest("bench-model", null, List.of(Message.user("Hi")), List.of(), 256, null);
    }

    @Test
    void miusAnthropicProviderParsesTheCannedAnswersStreamedAndWhole() {
        var provider =
                new AnthropicProvider(ScriptedLlmServer.API_KEY, "http://127.0.0.1:" + canned.port(), TestOptions.FAST);
        List<StreamEvent> events = new ArrayList<>();
        ModelResponse streamed = provider.stream(request(), events::add);
        assertEquals(ANSWER, streamed.text());
        assertEquals(StopReason.END_TURN, streamed.stopReason());
        assertEquals("bench-model", streamed.model());
        assertTrue(events.size() >= 4, "one event per word at least: " + events);

        ModelResponse whole = provider.complete(request());
        assertEquals(ANSWER, whole.text());
        assertEquals(StopReason.END_TURN, whole.stopReason());
    }

    @Test
    void slowRepliesArriveChunkByChunk() throws IOException {
        try (var slow = CannedProvider.start(Reply.text(ANSWER).withChunkDelay(Duration.ofMillis(5)), false);
                var client = new StudioClient(1, slow.port(), ScriptedLlmServer.API_KEY, ANSWER)) {
            StreamTiming timing = client.directStream();
            assertEquals(4, timing.chunks());
            assertTrue(timing.meanGapNanos() >= 4_000_000, "chunks 5 ms apart, not " + timing.meanGapNanos());
        }
    }

    @Test
    void theHttpClientKeepsItsConnectionAndChecksAnswers() throws IOException {
        long before = canned.calls();
        try (var client = new StudioClient(1, canned.port(), ScriptedLlmServer.API_KEY, ANSWER)) {
            for (int i = 0; i < 50; i++) {
                client.direct();
            }
            StreamTiming timing = client.directStream();
            assertEquals(4, timing.chunks());
        }
        assertEquals(51, canned.calls() - before);
        try (var wrongText = new StudioClient(1, canned.port(), ScriptedLlmServer.API_KEY, "something else")) {
            assertThrows(IOException.class, wrongText::direct, "the answer's text is checked");
        }
    }

    @Test
    void theHttpClientReadsErrorsAndReopensAClosedConnection() throws IOException {
        try (var http = new HttpConnection(canned.port())) {
            var denied = http.post("/v1/messages", "x-api-key: wrong\r\n", "{}".getBytes(StandardCharsets.UTF_8));
            assertEquals(401, denied.status());
            assertTrue(denied.text().contains("authentication_error"), denied.text());
            var missing = http.post("/v2/nothing", "", "{}".getBytes(StandardCharsets.UTF_8));
            assertEquals(404, missing.status());
            // the server closes after this answer; the next request must open a new connection by itself
            var closing = http.post(
                    "/v1/messages",
                    "x-api-key: " + ScriptedLlmServer.API_KEY + "\r\nConnection: close\r\n",
                    "{\"model\":\"m\",\"max_tokens\":5}".getBytes(StandardCharsets.UTF_8));
            assertEquals(200, closing.status());
            assertTrue(closing.text().contains("\"text\":\"one two three four\""), closing.text());
            var again = http.post(
                    "/v1/messages",
                    "x-api-key: " + ScriptedLlmServer.API_KEY + "\r\n",
                    "{\"max_tokens\":5}".getBytes(StandardCharsets.UTF_8));
            assertEquals(400, again.status());
        }
        assertThrows(IOException.class, () -> new StudioClient(1, canned.port(), "wrong-key", ANSWER).direct());
    }

    @Test
    void theWebSocketClientTalksToHelidon() throws IOException {
        String big = "x".repeat(70_000); // a 64-bit length frame each way
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .addRouting(WsRouting.builder().endpoint("/echo", new WsListener() {
                    @Override
                    public void onMessage(WsSession session, String text, boolean last) {
                        if (text.equals("bye")) {
                            session.close(1000, "done");
                        } else {
                            session.send("echo:", false); // two fragments: the client joins them
                            session.send(text, true);
                        }
                    }
                }))
                .build()
                .start();
        try (var ws = WsConnection.open(server.port(), "/echo")) {
            ws.sendText("hello");
            assertEquals("echo:hello", ws.receive().text());
            ws.sendText(big);
            assertEquals("echo:" + big, ws.receive().text());
            ws.sendText("bye");
            assertNull(ws.receive(), "the server's close ends the stream of messages");
        } finally {
            server.stop();
        }
        assertThrows(IOException.class, () -> WsConnection.open(canned.port(), "/echo"));
    }

    @Test
    void theAcceptKeyIsTheOneOfRfc6455() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WsConnection.acceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
    }
}
