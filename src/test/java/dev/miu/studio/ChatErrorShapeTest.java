package dev.miu.studio;

import dev.miu.core.json.Json;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Errors in the shapes the README and the original miu's clients expect: {@code error} events carry the message
 * as {@code content} as well as {@code detail}; an empty message is a 400 {@code Message is required};
 * {@code /chat/stream} is {@code text/event-stream; charset=utf-8}.
 */
@ServerTest
@Timeout(60)
class ChatErrorShapeTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private final URI uri;
    private final Api api;

    ChatErrorShapeTest(URI uri) {
        this.uri = uri;
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        StudioFixtures.mount(server, StudioFixtures.studio(scripted.settings(), StudioTools.none()));
    }

    private static String body(String id, String message) {
        return Json.write(
                Json.object().add("session_id", id).add("message", message).build());
    }

    @Test
    void errorEventsCarryTheMessageAsContentToo() {
        String id = api.newSession();
        scripted.enqueue(Reply.status(400, "prompt is too long"));
        Api.SseResult stream = api.stream("/api/v1/chat/stream", body(id, "Hi"));
        assertEquals(List.of("error"), stream.types());
        JsonObject error = stream.events().getFirst();
        assertTrue(error.getString("detail").contains("prompt is too long"), error.toString());
        assertEquals(error.getString("detail"), error.getString("content"));

        scripted.enqueue(Reply.status(400, "prompt is too long"));
        try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + id)) {
            ws.send("{\"message\":\"Hi\"}");
            JsonObject wsError = ws.until("error");
            assertEquals(wsError.getString("detail"), wsError.getString("content"));
        }
    }

    @Test
    void anEmptyMessageIsRefusedWithTheOriginalsWording() {
        String id = api.newSession();
        for (String route : List.of("/api/v1/chat/invoke", "/api/v1/chat/stream")) {
            for (String bad : List.of(
                    body(id, ""),
                    body(id, "   "),
                    "{\"session_id\":\"" + id + "\"}",
                    "{\"session_id\":\"" + id + "\",\"message\":null}")) {
                Api.Resp r = api.post(route, bad);
                assertEquals(400, r.status(), route + " " + bad);
                assertEquals("Message is required", r.detail());
            }
        }
        try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + id)) {
            ws.send("{\"message\":\"  \"}");
            JsonObject error = ws.next();
            assertEquals("Message is required", error.getString("detail"));
            assertEquals("Message is required", error.getString("content"));
            assertTrue(ws.isOpen());
        }
    }

    @Test
    void theStreamNamesItsCharset() {
        String id = api.newSession();
        scripted.enqueue(Reply.text("Hi there"));
        Api.SseResult stream = api.stream("/api/v1/chat/stream", body(id, "Hi"));
        assertEquals(
                "text/event-stream; charset=utf-8",
                stream.headers().firstValue("content-type").orElse(null));
        assertEquals("done", stream.events().getLast().getString("type"));
    }
}
