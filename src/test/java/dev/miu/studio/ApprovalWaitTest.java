package dev.miu.studio;

import dev.miu.core.json.Json;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A paused turn whose client is connected waits for a person ({@code agent.approval-timeout}, here the default 10
 * minutes): a decision over HTTP or on the socket continues it on its own stream, a cancel denies what waits and
 * goes on, and a client that leaves, or time running out, ends it as {@code awaiting_approval} with the calls kept.
 */
@ServerTest
@Timeout(60)
class ApprovalWaitTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private static Path data;
    private static Path workspace;

    private final URI uri;
    private final Api api;

    ApprovalWaitTest(URI uri) {
        this.uri = uri;
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        data = StudioFixtures.tempDir();
        workspace = Files.createDirectories(data.resolve("ws"));
        var agents = ApprovalChatTest.agents(scripted, data, workspace);
        StudioFixtures.mount(server, StudioFixtures.studio(scripted.settings(), data, agents));
    }

    private static String session(Api api) {
        return api.post("/api/v1/sessions", "{\"agent\":\"coder\"}").json().getString("id");
    }

    private static Reply write(String id, String file, String content) {
        return Reply.turn(new Reply.ToolCall(
                id,
                "Write",
                Json.write(Json.object()
                        .add("file_path", file)
                        .add("content", content)
                        .build())));
    }

    private static JsonArray pending(Api api, String id) {
        return api.get("/api/v1/sessions/" + id).json().getJsonArray("pending_approvals");
    }

    /** The pending approvals of {@code id}, once there are some. */
    private static JsonArray awaitPending(Api api, String id) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            JsonArray pending = pending(api, id);
            if (!pending.isEmpty()) {
                return pending;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no pending approval on " + id);
    }

    private static List<String> types(List<JsonObject> events) {
        return events.stream().map(e -> e.getString("type")).toList();
    }

    @Test
    void aStreamWaitsAndADecisionOverHttpContinuesItOnThatStream() throws Exception {
        String id = session(api);
        scripted.enqueue(write("w1", "a.txt", "from the stream"));
        CompletableFuture<Api.SseResult> stream = CompletableFuture.supplyAsync(
                () -> api.stream("/api/v1/chat/stream", ApprovalChatTest.body(id, "Write a")));
        String approvalId = awaitPending(api, id).getJsonObject(0).getString("approval_id");
        assertFalse(stream.isDone(), "the stream waits for the decision");

        scripted.enqueue(Reply.text("Written."));
        Api.Resp decided =
                api.post("/api/v1/sessions/" + id + "/approvals/" + approvalId, "{\"decision\":\"approve\"}");
        assertEquals(200, decided.status(), decided.body());
        assertEquals("continuing", decided.json().getString("status"));

        List<String> types = types(stream.get().events());
        assertTrue(types.contains("approval_request"), types.toString());
        assertEquals(1, types.stream().filter("done"::equals).count(), "one turn, one done: " + types);
        assertTrue(types.indexOf("tool_result") > types.indexOf("approval_request"), types.toString());
        assertEquals("end_turn", stream.get().events().getLast().getString("stop_reason"));
        assertEquals("Written.", stream.get().text());
        assertEquals("from the stream", Files.readString(workspace.resolve("a.txt")));
        assertTrue(pending(api, id).isEmpty());
    }

    @Test
    void onTheWebSocketTheDecisionContinuesTheWaitingTurnAndACancelDeniesWhatWaits() throws Exception {
        String id = session(api);
        try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + id)) {
            scripted.enqueue(write("w1", "b.txt", "via ws"));
            ws.send("{\"message\":\"Write b\"}");
            JsonObject request = ws.until("approval_request");
            scripted.enqueue(Reply.text("Wrote b."));
            ws.send(Json.write(Json.object()
                    .add("type", "approval")
                    .add("approval_id", request.getString("approval_id"))
                    .add("decision", "approve")
                    .build()));
            // no done came between the request and the continuation: the one turn goes on
            JsonObject next = ws.until("tool_result");
            assertEquals("w1", next.getString("id"));
            assertEquals("end_turn", ws.until("done").getString("stop_reason"));
            assertEquals("via ws", Files.readString(workspace.resolve("b.txt")));

            scripted.enqueue(write("w2", "c.txt", "never"));
            ws.send("{\"message\":\"Write c\"}");
            ws.until("approval_request");
            scripted.enqueue(Reply.text("Left c alone."));
            ws.send("{\"type\":\"cancel\",\"decided_by\":\"Grace\"}");
            JsonObject done = ws.until("done");
            assertEquals("end_turn", done.getString("stop_reason"));
        }
        // the waiting turn's cancel is in the audit too, with who sent it
        JsonArray audit = api.get("/api/v1/sessions/" + id).json().getJsonArray("approvals_audit");
        JsonObject by =
                audit.getJsonObject(audit.size() - 1).getJsonObject("decision").getJsonObject("decided_by");
        assertEquals("cancel", by.getString("via"), audit.toString());
        assertEquals("Grace", by.getString("user"));
        assertTrue(by.containsKey("client"), by.toString());
        JsonArray messages = scripted.lastRequest().json().getJsonArray("messages");
        assertTrue(
                messages.getJsonObject(messages.size() - 1).toString().contains("cancelled by the user"),
                messages.toString());
        assertFalse(Files.exists(workspace.resolve("c.txt")));
    }

    @Test
    void aClientThatLeavesEndsTheWaitAndTheCallStaysToBeDecided() throws Exception {
        String id = session(api);
        String approvalId;
        try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + id)) {
            scripted.enqueue(write("w1", "d.txt", "later"));
            ws.send("{\"message\":\"Write d\"}");
            approvalId = ws.until("approval_request").getString("approval_id");
            ws.closeNormally();
        }
        scripted.enqueue(Reply.text("Wrote d at last."));
        Api.Resp decided = null;
        for (int i = 0; i < 250; i++) { // the turn ends once the server has seen the socket close
            decided = api.post("/api/v1/sessions/" + id + "/approvals/" + approvalId, "{\"decision\":\"approve\"}");
            if (decided.status() != 409) {
                break;
            }
            Thread.sleep(20);
        }
        assertEquals(200, decided.status(), decided.body());
        assertEquals("end_turn", decided.json().getString("stop_reason"), decided.body());
        assertEquals("later", Files.readString(workspace.resolve("d.txt")));
    }

    @Test
    void whenTheApprovalTimeoutPassesTheTurnEndsAwaitingApproval() throws Exception {
        Path dir = StudioFixtures.tempDir();
        Path ws = Files.createDirectories(dir.resolve("ws"));
        WebServer quick = StudioServer.start(StudioFixtures.studio(
                scripted.settings(), dir, ApprovalChatTest.agents(scripted, dir, ws), Duration.ofMillis(300)));
        try {
            var quickApi = new Api(URI.create("http://127.0.0.1:" + quick.port()));
            String id = session(quickApi);
            scripted.enqueue(write("w1", "e.txt", "x"));
            Api.SseResult stream = quickApi.stream("/api/v1/chat/stream", ApprovalChatTest.body(id, "Write e"));
            JsonObject done = stream.events().getLast();
            assertEquals("done", done.getString("type"));
            assertEquals("awaiting_approval", done.getString("stop_reason"));
            assertEquals(1, done.getJsonArray("pending_approvals").size());
            assertEquals(1, pending(quickApi, id).size(), "the call stays stored");
        } finally {
            quick.stop();
        }
    }
}
