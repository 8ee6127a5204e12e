package dev.miu.studio;

import dev.miu.core.message.MessageJson;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chat over the WebSocket: the same events as SSE, cancel, and bad input that never closes the connection. */
@ServerTest
@Timeout(60)
class ChatSocketTest {

    private static final int MAX_BODY = 256 * 1024;

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private final URI uri;
    private final Api api;

    ChatSocketTest(URI uri) {
        this.uri = uri;
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        // a body limit under the WebSocket's 1 MiB frames, so a message over it is one frame the server still reads
        var settings = new dev.miu.config.ServerSettings("127.0.0.1", 0, null, List.of(), MAX_BODY);
        StudioFixtures.mount(
                server,
                StudioFixtures.studio(
                        scripted.settings(), StudioFixtures.tempDir(), settings, StudioTools.of(ChatApiTest.adder())));
    }

    private WsClient connect(String id, String... headers) {
        return WsClient.connect(uri, "/api/v1/chat/ws/" + id, headers);
    }

    /** Events up to and including the first done or error. */
    private static List<JsonObject> turn(WsClient ws) {
        List<JsonObject> events = new ArrayList<>();
        while (true) {
            JsonObject e = ws.next();
            events.add(e);
            String type = e.getString("type");
            if (type.equals("done") || type.equals("error")) {
                return events;
            }
        }
    }

    private static List<String> shape(List<JsonObject> events) {
        List<String> out = new ArrayList<>();
        for (JsonObject e : events) {
            String t = e.getString("type");
            if (!(t.equals("chunk") && !out.isEmpty() && out.getLast().equals("chunk"))) {
                out.add(t);
            }
        }
        return out;
    }

    @Test
    void aTurnWithAToolCallSendsTheSameEventsAsSse() {
        String id = api.newSession();
        scripted.enqueue(Reply.toolCall("call_9", "add", "{\"a\":40,\"b\":2}"), Reply.text("It is 42"));
        try (WsClient ws = connect(id)) {
            ws.send("{\"message\":\"What is 40 + 2?\"}");
            List<JsonObject> events = turn(ws);
            assertEquals(List.of("usage", "tool_call", "tool_result", "chunk", "usage", "done"), shape(events));
            JsonObject result = events.get(2);
            assertEquals("42", result.getString("output"));
            assertEquals("call_9", result.getString("id"));
            assertEquals(4, events.getLast().getInt("message_count"));
        }
        assertEquals(
                4,
                api.get("/api/v1/sessions/" + id)
                        .json()
                        .getJsonArray("messages")
                        .size());
    }

    @Test
    void cancelStopsTheRunningTurnAndKeepsTheConnection() {
        String id = api.newSession();
        scripted.enqueue(Reply.text("a very long answer that goes on and on and on and on and on and on and on")
                .withChunkDelay(Duration.ofMillis(200)));
        try (WsClient ws = connect(id)) {
            ws.send("{\"message\":\"Talk for a while\"}");
            assertEquals("chunk", ws.next().getString("type"));
            ws.send("{\"type\":\"cancel\"}");
            JsonObject done = ws.until("done");
            assertEquals("cancelled", done.getString("stop_reason"));

            JsonArray messages = api.get("/api/v1/sessions/" + id).json().getJsonArray("messages");
            assertEquals(
                    "Talk for a while",
                    MessageJson.fromJson(messages.getJsonObject(0)).text());

            scripted.enqueue(Reply.text("Still here"));
            ws.send("{\"message\":\"Are you there?\"}");
            List<JsonObject> next = turn(ws);
            assertEquals("done", next.getLast().getString("type"));
            assertEquals("end_turn", next.getLast().getString("stop_reason"));
        }
    }

    @Test
    void theNextMessageMaySendTheMomentDoneArrives() {
        String id = api.newSession();
        try (WsClient ws = connect(id)) {
            for (int i = 0; i < 5; i++) {
                scripted.enqueue(Reply.text("Answer " + i));
                ws.send("{\"message\":\"Question " + i + "\"}");
                List<JsonObject> events = turn(ws);
                assertEquals("done", events.getLast().getString("type"), events.toString());
                assertEquals(2 * (i + 1), events.getLast().getInt("message_count"));
            }
        }
    }

    @Test
    void badMessagesAreErrorEventsAndTheConnectionStaysOpen() {
        String id = api.newSession();
        try (WsClient ws = connect(id)) {
            ws.send("x".repeat(MAX_BODY + 1));
            assertTrue(ws.next()
                    .getString("detail")
                    .contains("larger than " + MAX_BODY + " bytes (server.max-body-bytes)"));
            ws.send("{not json");
            assertTrue(ws.next().getString("detail").startsWith("Malformed JSON"));
            ws.send("{\"message\":\"\"}");
            assertEquals("Message is required", ws.next().getString("detail"));
            ws.send("{\"text\":\"hi\"}");
            assertEquals("Message is required", ws.next().getString("detail"));
            ws.send("{\"type\":\"dance\"}");
            assertEquals("error", ws.next().getString("type"));

            scripted.enqueue(Reply.text("Fine"));
            ws.send("{\"message\":\"Still works?\"}");
            assertEquals("done", turn(ws).getLast().getString("type"));
        }
    }

    @Test
    void aMessageAsLargeAsOverHttpIsAcceptedOverTheSocket() {
        String id = api.newSession();
        String pasted = "log line\n".repeat(20_000); // 180 KiB: a pasted log or file, which used to be refused
        try (WsClient ws = connect(id)) {
            scripted.enqueue(Reply.text("Read it"));
            ws.send(dev.miu.core.json.Json.write(
                    dev.miu.core.json.Json.object().add("message", pasted).build()));
            assertEquals("done", turn(ws).getLast().getString("type"));
        }
        String sent = scripted.lastRequest().body();
        assertTrue(
                sent.length() > pasted.length() && sent.contains("log line\\nlog line"),
                "the whole message went to the model");
    }

    @Test
    void aSecondMessageWhileATurnRunsIsAnError() {
        String id = api.newSession();
        scripted.enqueue(Reply.text("one two three four five six").withChunkDelay(Duration.ofMillis(150)));
        try (WsClient ws = connect(id)) {
            ws.send("{\"message\":\"first\"}");
            assertEquals("chunk", ws.next().getString("type"));
            ws.send("{\"message\":\"second\"}");
            assertTrue(ws.until("error").getString("detail").contains("already running"));
            assertEquals("end_turn", ws.until("done").getString("stop_reason"));
        }
        assertEquals(
                2,
                api.get("/api/v1/sessions/" + id)
                        .json()
                        .getJsonArray("messages")
                        .size());
    }

    @Test
    void badOrUnknownSessionIdsAreReportedThenClosed() throws Exception {
        for (String id :
                List.of("etc-passwd", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "0e8e4a8f-1c2b-4b7e-9f3a-3c2d1e0f9a8g")) {
            try (WsClient ws = connect(id)) {
                assertEquals("Invalid session ID format", ws.next().getString("detail"));
                assertEquals(1008, ws.closed().get(10, TimeUnit.SECONDS));
            }
        }
        try (WsClient ws = connect("0e8e4a8f-1c2b-4b7e-9f3a-3c2d1e0f9a8b")) {
            assertEquals("Session not found", ws.next().getString("detail"));
        }
    }

    @Test
    void upgradesFromOtherOriginsAreRefused() {
        String id = api.newSession();
        CompletionException e =
                assertThrows(CompletionException.class, () -> connect(id, "Origin", "http://evil.example"));
        assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        try (WsClient ws = connect(id, "Origin", "http://" + uri.getHost() + ":" + uri.getPort())) {
            assertTrue(ws.isOpen());
        }
    }
}
