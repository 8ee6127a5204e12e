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

import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every turn can be stopped: by {@code POST /sessions/{id}/cancel} or a WebSocket cancel on any connection to the
 * session, whichever transport started it, and by its client leaving {@code /chat/invoke} or {@code /chat/stream},
 * even while the provider sends nothing but keep-alive pings.
 */
@ServerTest
@Timeout(60)
class TurnCancelTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private final URI uri;
    private final Api api;

    TurnCancelTest(URI uri) {
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

    /** Starts an invoke that runs until stopped, and waits until its model call is under way. */
    private CompletableFuture<Api.Resp> endlessInvoke(String id) {
        scripted.enqueue(Reply.pingsForever());
        int before = scripted.requestCount();
        var running = CompletableFuture.supplyAsync(() -> api.post("/api/v1/chat/invoke", body(id, "Go on forever")));
        assertTrue(
                RawHttp.await(() -> scripted.requestCount() > before, Duration.ofSeconds(10)),
                "the model call started");
        return running;
    }

    /** The session takes a new turn, answered "Back", within {@code limit}: its last turn has ended. */
    private boolean freeWithin(String id, Duration limit) {
        scripted.enqueue(Reply.text("Back"));
        boolean free = RawHttp.await(
                () -> api.post("/api/v1/chat/invoke", body(id, "Hello again")).status() != 409, limit);
        if (!free) {
            scripted.reset();
        }
        return free;
    }

    @Test
    void theCancelRouteStopsARunningInvoke() {
        String id = api.newSession();
        var running = endlessInvoke(id);

        Api.Resp cancel = api.post("/api/v1/sessions/" + id + "/cancel", null);
        assertEquals(200, cancel.status(), cancel.body());
        assertTrue(cancel.json().getBoolean("cancelled"));
        assertEquals("stopped", cancel.json().getString("status"));

        Api.Resp invoke =
                running.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        assertEquals(200, invoke.status(), invoke.body());
        assertEquals("cancelled", invoke.json().getString("stop_reason"));
        assertEquals(
                "Go on forever",
                api.get("/api/v1/sessions/" + id)
                        .json()
                        .getJsonArray("messages")
                        .getJsonObject(0)
                        .getJsonArray("content")
                        .getJsonObject(0)
                        .getString("text"),
                "the user's message is kept");
    }

    @Test
    void theCancelRouteAnswersForIdleUnknownAndBadSessions() {
        String id = api.newSession();
        Api.Resp idle = api.post("/api/v1/sessions/" + id + "/cancel", null);
        assertEquals(200, idle.status());
        assertFalse(idle.json().getBoolean("cancelled"));
        assertEquals("idle", idle.json().getString("status"));
        Api.Resp unknown = api.post("/api/v1/sessions/0e8e4a8f-1c2b-4b7e-9f3a-3c2d1e0f9a8b/cancel", null);
        assertEquals(404, unknown.status());
        assertEquals("Session not found", unknown.detail());
        Api.Resp bad = api.post("/api/v1/sessions/not-a-uuid/cancel", null);
        assertEquals(400, bad.status());
        assertEquals("Invalid session ID format", bad.detail());
    }

    @Test
    void aWebSocketCancelStopsATurnAnotherClientStarted() {
        String id = api.newSession();
        var running = endlessInvoke(id);
        try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + id)) {
            ws.send("{\"type\":\"cancel\"}");
            Api.Resp invoke =
                    running.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
            assertEquals("cancelled", invoke.json().getString("stop_reason"));
            assertTrue(ws.isOpen());
        }
    }

    @Test
    void theCancelRouteStopsAWebSocketTurn() {
        String id = api.newSession();
        scripted.enqueue(Reply.pingsForever());
        try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + id)) {
            ws.send("{\"message\":\"Go on forever\"}");
            assertTrue(RawHttp.await(() -> scripted.requestCount() > 0, Duration.ofSeconds(10)));
            assertEquals(
                    200, api.post("/api/v1/sessions/" + id + "/cancel", null).status());
            JsonObject done = ws.until("done");
            assertEquals("cancelled", done.getString("stop_reason"));
        }
    }

    @Test
    void aClientThatStaysKeepsItsLongTurn() {
        String id = api.newSession();
        // about 2.5 s: its connection is looked up in the TCP table several times and found still there
        scripted.enqueue(
                Reply.text("one two three four five six seven eight nine ten").withChunkDelay(Duration.ofMillis(250)));
        Api.Resp invoke = api.post("/api/v1/chat/invoke", body(id, "Take your time"));
        assertEquals(200, invoke.status(), invoke.body());
        assertEquals("end_turn", invoke.json().getString("stop_reason"));
        assertEquals(
                "one two three four five six seven eight nine ten",
                invoke.json().getString("response"));
    }

    @Test
    void aClientLeavingInvokeCancelsItsTurn() throws Exception {
        String id = api.newSession();
        scripted.enqueue(Reply.pingsForever());
        try (Socket client = RawHttp.post(uri, "/api/v1/chat/invoke", body(id, "Go on forever"), 0)) {
            assertTrue(RawHttp.await(() -> scripted.requestCount() > 0, Duration.ofSeconds(10)));
        } // leaves without an answer
        assertTrue(freeWithin(id, Duration.ofSeconds(15)), "the turn ended when its client left");
    }

    @Test
    void aClientLeavingAStreamBeforeAnyEventCancelsItsTurn() throws Exception {
        String id = api.newSession();
        scripted.enqueue(Reply.pingsForever());
        try (Socket client = RawHttp.post(uri, "/api/v1/chat/stream", body(id, "Go on forever"), 0)) {
            assertTrue(RawHttp.await(() -> scripted.requestCount() > 0, Duration.ofSeconds(10)));
        } // nothing was written to it yet, and nothing will be until the model says something
        assertTrue(freeWithin(id, Duration.ofSeconds(15)), "the turn ended when its client left");
    }
}
