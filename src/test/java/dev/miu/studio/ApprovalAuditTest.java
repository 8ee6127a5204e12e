package dev.miu.studio;

import dev.miu.core.json.Json;
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

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The approvals audit says who decided each call: how the decision came ({@code via}), the client's address, and the
 * name the person gave ({@code decided_by}), for an HTTP decision, a WebSocket one, a cancel and a remembered tool.
 */
@ServerTest
@Timeout(60)
class ApprovalAuditTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private final URI uri;
    private final Api api;

    ApprovalAuditTest(URI uri) {
        this.uri = uri;
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        Path data = StudioFixtures.tempDir();
        Path workspace = Files.createDirectories(data.resolve("ws"));
        var agents = ApprovalChatTest.agents(scripted, data, workspace);
        // no wait: a paused turn ends at once, and each decision below is made after it (ApprovalWaitTest waits)
        StudioFixtures.mount(server, StudioFixtures.studio(scripted.settings(), data, agents, Duration.ZERO));
    }

    private static Reply write(String id, String file) {
        return Reply.turn(new Reply.ToolCall(
                id,
                "Write",
                Json.write(
                        Json.object().add("file_path", file).add("content", "x").build())));
    }

    private String pausedSession(String... files) {
        String id = api.post("/api/v1/sessions", "{\"agent\":\"coder\"}").json().getString("id");
        Reply.ToolCall[] calls = new Reply.ToolCall[files.length];
        for (int i = 0; i < files.length; i++) {
            calls[i] = new Reply.ToolCall(
                    "w" + i,
                    "Write",
                    Json.write(Json.object()
                            .add("file_path", files[i])
                            .add("content", "x")
                            .build()));
        }
        scripted.enqueue(Reply.turn(calls));
        Api.Resp paused = api.post("/api/v1/chat/invoke", ApprovalChatTest.body(id, "Write"));
        assertEquals("awaiting_approval", paused.json().getString("stop_reason"), paused.body());
        return id;
    }

    private String pendingId(String id) {
        return api.get("/api/v1/sessions/" + id)
                .json()
                .getJsonArray("pending_approvals")
                .getJsonObject(0)
                .getString("approval_id");
    }

    private JsonArray audit(String id) {
        return api.get("/api/v1/sessions/" + id).json().getJsonArray("approvals_audit");
    }

    /** The {@code decided_by} of audit entry {@code index}. */
    private JsonObject decidedBy(String id, int index) {
        JsonArray audit = audit(id);
        return audit.getJsonObject(index).getJsonObject("decision").getJsonObject("decided_by");
    }

    private static void assertLoopbackClient(JsonObject decidedBy) throws Exception {
        assertTrue(
                InetAddress.getByName(decidedBy.getString("client")).isLoopbackAddress(),
                "the test's own address: " + decidedBy);
    }

    @Test
    void anHttpDecisionRecordsTheRouteTheClientAndTheNameGiven() throws Exception {
        String id = pausedSession("a.txt");
        scripted.enqueue(Reply.text("Not written."));
        Api.Resp r = api.post(
                "/api/v1/sessions/" + id + "/approvals/" + pendingId(id),
                "{\"decision\":\"deny\",\"reason\":\"no\",\"decided_by\":\"  Ada Lovelace  \"}");
        assertEquals(200, r.status(), r.body());

        JsonObject decision = audit(id).getJsonObject(0).getJsonObject("decision");
        assertEquals("deny", decision.getString("decision"));
        assertEquals("no", decision.getString("reason"));
        JsonObject by = decision.getJsonObject("decided_by");
        assertEquals("http", by.getString("via"));
        assertEquals("Ada Lovelace", by.getString("user"), "trimmed");
        assertLoopbackClient(by);
    }

    @Test
    void aWebSocketDecisionWithoutANameRecordsTheSocketAndItsClient() throws Exception {
        String id = pausedSession("b.txt");
        try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + id)) {
            scripted.enqueue(Reply.text("Written."));
            ws.send(Json.write(Json.object()
                    .add("type", "approval")
                    .add("approval_id", pendingId(id))
                    .add("decision", "approve")
                    .build()));
            assertEquals("end_turn", ws.until("done").getString("stop_reason"));
        }
        JsonObject by = decidedBy(id, 0);
        assertEquals("websocket", by.getString("via"));
        assertLoopbackClient(by);
        assertFalse(by.containsKey("user"), "no name given, none shown: " + by);
    }

    @Test
    void aCancelRecordsEveryCallItDeniedAsDecidedByTheCancel() throws Exception {
        String id = pausedSession("c1.txt", "c2.txt");
        scripted.enqueue(Reply.text("Stopped."));
        Api.Resp cancel = api.post("/api/v1/sessions/" + id + "/cancel", "{\"decided_by\":\"ops\"}");
        assertEquals("denied", cancel.json().getString("status"), cancel.body());
        for (int i = 0; i < 2; i++) {
            JsonObject by = decidedBy(id, i);
            assertEquals("cancel", by.getString("via"));
            assertEquals("ops", by.getString("user"));
            assertLoopbackClient(by);
        }

        // over the WebSocket, with no name
        String other = pausedSession("c3.txt");
        try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + other)) {
            scripted.enqueue(Reply.text("Stopped again."));
            ws.send("{\"type\":\"cancel\"}");
            assertEquals("end_turn", ws.until("done").getString("stop_reason"));
        }
        JsonObject by = decidedBy(other, 0);
        assertEquals("cancel", by.getString("via"));
        assertFalse(by.containsKey("user"), by.toString());
        assertLoopbackClient(by);
    }

    @Test
    void aToolRememberedForTheSessionIsRecordedAsRemembered() {
        String id = pausedSession("d1.txt");
        scripted.enqueue(Reply.text("ok"));
        Api.Resp r = api.post(
                "/api/v1/sessions/" + id + "/approvals/" + pendingId(id),
                "{\"decision\":\"approve\",\"remember\":true,\"decided_by\":\"Grace\"}");
        assertEquals(200, r.status(), r.body());

        scripted.enqueue(write("w9", "d2.txt"), Reply.text("Done again."));
        Api.Resp next = api.post("/api/v1/chat/invoke", ApprovalChatTest.body(id, "Once more"));
        assertEquals("end_turn", next.json().getString("stop_reason"), next.body());

        assertEquals("Grace", decidedBy(id, 0).getString("user"), "the decision that remembered the tool");
        JsonObject remembered = audit(id).getJsonObject(1).getJsonObject("decision");
        assertEquals("approved for this session", remembered.getString("reason"));
        assertEquals(
                Json.object().add("via", "remembered").build(),
                remembered.getJsonObject("decided_by"),
                "no client and no name: nobody decided this one");
    }

    @Test
    void aBadNameIsRefusedAndNothingIsDecided() {
        String id = pausedSession("e.txt");
        String approval = pendingId(id);
        String path = "/api/v1/sessions/" + id + "/approvals/" + approval;
        for (String bad : new String[] {
            "{\"decision\":\"approve\",\"decided_by\":42}",
            "{\"decision\":\"approve\",\"decided_by\":\"a\\u0007b\"}",
            "{\"decision\":\"approve\",\"decided_by\":\"line\\nbreak\"}",
            "{\"decision\":\"approve\",\"decided_by\":\"" + "n".repeat(201) + "\"}"
        }) {
            Api.Resp r = api.post(path, bad);
            assertEquals(422, r.status(), bad + " -> " + r.body());
            assertTrue(r.detail().contains("decided_by"), r.detail());
        }
        Api.Resp cancel = api.post("/api/v1/sessions/" + id + "/cancel", "{\"decided_by\":\"tab\\there\"}");
        assertEquals(422, cancel.status(), cancel.body());
        try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + id)) {
            ws.send(Json.write(Json.object()
                    .add("type", "approval")
                    .add("approval_id", approval)
                    .add("decision", "approve")
                    .add("decided_by", "x".repeat(300))
                    .build()));
            assertTrue(ws.until("error").getString("detail").contains("decided_by"));
        }
        assertEquals(approval, pendingId(id), "still waiting");

        // 200 characters after trimming are fine
        scripted.enqueue(Reply.text("ok"));
        String longest = "n".repeat(200);
        Api.Resp ok = api.post(path, "{\"decision\":\"approve\",\"decided_by\":\"  " + longest + " \"}");
        assertEquals(200, ok.status(), ok.body());
        assertEquals(longest, decidedBy(id, 0).getString("user"));
    }
}
