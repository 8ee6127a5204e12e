package dev.miu.studio;

import dev.miu.agents.AgentReferences;
import dev.miu.agents.ConfiguredAgents;
import dev.miu.config.AgentDefinition;
import dev.miu.config.AgentsSettings;
import dev.miu.config.MiuConfig;
import dev.miu.config.ToolRef;
import dev.miu.core.json.Json;
import dev.miu.core.mcp.McpServers;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tool calls that wait for a person in the studio: a declared agent whose Write says {@code approval: always}
 * pauses the turn, the pause is stored with the session, and deciding continues the run.
 */
@ServerTest
@Timeout(60)
class ApprovalChatTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private static final String MODEL = "anthropic:claude-test";
    private static Path workspace;

    private final URI uri;
    private final Api api;

    ApprovalChatTest(URI uri) {
        this.uri = uri;
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        Path data = StudioFixtures.tempDir();
        workspace = Files.createDirectories(data.resolve("ws"));
        Files.writeString(workspace.resolve("notes.txt"), "old notes");
        var agents = agents(scripted, data, workspace);
        // no wait: a paused turn ends at once (ApprovalWaitTest covers the wait)
        StudioFixtures.mount(server, StudioFixtures.studio(scripted.settings(), data, agents, Duration.ZERO));
    }

    /** A catalog with one agent, {@code coder}, whose Write waits for approval (its other coding tools do not). */
    static ConfiguredAgents agents(ScriptedLlmServer llm, Path data, Path workspace) {
        MiuConfig config = StudioFixtures.config(llm.settings(), data, StudioFixtures.server())
                .withAgents(new AgentsSettings(List.of(), "coder", data, false));
        return ConfiguredAgents.of(
                List.of(new AgentDefinition.Model(
                        "coder",
                        "The coder",
                        null,
                        MODEL,
                        "Code.",
                        5,
                        512,
                        null,
                        List.of(new ToolRef.Code(workspace, "normal", Map.of("Write", ToolRef.Approval.ALWAYS))))),
                config,
                AgentReferences.byName(List.of(), List.of()),
                McpServers.none(),
                null,
                StudioFixtures.FAST_RETRIES);
    }

    static String body(String id, String message) {
        return Json.write(
                Json.object().add("session_id", id).add("message", message).build());
    }

    /** The model asks the coder to write {@code content} to {@code file}. */
    static Reply.ToolCall write(String id, String file, String content) {
        return new Reply.ToolCall(
                id,
                "Write",
                Json.write(Json.object()
                        .add("file_path", file)
                        .add("content", content)
                        .build()));
    }

    private static Reply.ToolCall read(String id, String file) {
        return new Reply.ToolCall(
                id, "Read", Json.write(Json.object().add("file_path", file).build()));
    }

    private String session() {
        return api.post("/api/v1/sessions", "{\"agent\":\"coder\"}").json().getString("id");
    }

    /** Starts a turn whose model reads one file (free) and writes another (gated): the turn pauses. */
    private Api.SseResult pause(String id, String file) {
        scripted.enqueue(Reply.turn(read("r1", "notes.txt"), write("w1", file, "new text")));
        return api.stream("/api/v1/chat/stream", body(id, "Update " + file));
    }

    @Test
    void aGatedCallPausesTheTurnAndThePauseIsStored() {
        String id = session();
        Api.SseResult stream = pause(id, "a.txt");

        assertEquals(200, stream.status());
        List<JsonObject> events = stream.events();
        JsonObject request = events.stream()
                .filter(e -> e.getString("type").equals("approval_request"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(events.toString()));
        assertEquals("w1", request.getString("tool_call_id"));
        assertEquals("Write", request.getString("name"));
        assertEquals("coder", request.getString("agent"));
        assertEquals("a.txt", request.getJsonObject("input").getString("file_path"));
        assertEquals("--- a/a.txt\n+++ b/a.txt\n@@ -0,0 +1,1 @@\n+new text\n", request.getString("diff"));
        JsonObject done = events.getLast();
        assertEquals("done", done.getString("type"));
        assertEquals("awaiting_approval", done.getString("stop_reason"));
        assertEquals(
                request.getString("approval_id"),
                done.getJsonArray("pending_approvals").getJsonObject(0).getString("approval_id"));
        assertTrue(
                events.stream()
                        .anyMatch(e -> e.getString("type").equals("tool_result")
                                && e.getString("id").equals("r1")),
                "the free Read ran: " + events);
        assertFalse(Files.exists(workspace.resolve("a.txt")), "the gated Write did not run");

        JsonObject session = api.get("/api/v1/sessions/" + id).json();
        JsonArray pending = session.getJsonArray("pending_approvals");
        assertEquals(1, pending.size(), session.toString());
        assertEquals(request.getString("approval_id"), pending.getJsonObject(0).getString("approval_id"));
        assertTrue(pending.getJsonObject(0).containsKey("created_at"));

        Api.Resp next = api.post("/api/v1/chat/invoke", body(id, "Anything else?"));
        assertEquals(409, next.status(), next.body());
        assertTrue(next.detail().contains(request.getString("approval_id")), next.detail());
    }

    @Test
    void invokeAnswersTheSameFields() {
        String id = session();
        scripted.enqueue(Reply.turn(write("w1", "b.txt", "x")));
        Api.Resp r = api.post("/api/v1/chat/invoke", body(id, "Write b"));
        assertEquals(200, r.status(), r.body());
        assertEquals("awaiting_approval", r.json().getString("stop_reason"));
        assertEquals(
                "w1",
                r.json().getJsonArray("pending_approvals").getJsonObject(0).getString("tool_call_id"));
    }

    private Api.Resp decide(String id, String approvalId, String body) {
        return api.post("/api/v1/sessions/" + id + "/approvals/" + approvalId, body);
    }

    private String pendingId(String id, int index) {
        return api.get("/api/v1/sessions/" + id)
                .json()
                .getJsonArray("pending_approvals")
                .getJsonObject(index)
                .getString("approval_id");
    }

    /** The last tool result the model was sent, from the scripted LLM's last request. */
    private static JsonObject lastToolResult() {
        JsonArray messages = scripted.lastRequest().json().getJsonArray("messages");
        JsonArray content = messages.getJsonObject(messages.size() - 1).getJsonArray("content");
        return content.getJsonObject(content.size() - 1);
    }

    @Test
    void approvingRunsTheCallAndTheModelGetsItsResult() throws Exception {
        String id = session();
        pause(id, "c.txt");
        String approvalId = pendingId(id, 0);

        scripted.enqueue(Reply.text("Written."));
        Api.Resp r = decide(id, approvalId, "{\"decision\":\"approve\"}");

        assertEquals(200, r.status(), r.body());
        assertEquals("end_turn", r.json().getString("stop_reason"));
        assertEquals("Written.", r.json().getString("response"));
        assertEquals("new text", Files.readString(workspace.resolve("c.txt")));
        JsonObject result = lastToolResult();
        assertEquals("w1", result.getString("tool_use_id"));
        assertFalse(result.getBoolean("is_error", false), result.toString());
        JsonObject session = api.get("/api/v1/sessions/" + id).json();
        assertTrue(session.getJsonArray("pending_approvals").isEmpty());

        Api.Resp again = decide(id, approvalId, "{\"decision\":\"approve\"}");
        assertEquals(404, again.status(), "decided and continued: the approval is gone: " + again.body());
        scripted.enqueue(Reply.text("Sure."));
        assertEquals(200, api.post("/api/v1/chat/invoke", body(id, "Thanks")).status(), "free for a new message");
    }

    @Test
    void aContinuationThatPausesAgainKeepsTheFirstDecisionsInTheAudit() throws Exception {
        String id = session();
        pause(id, "p1.txt");
        String first = pendingId(id, 0);

        scripted.enqueue(Reply.turn(write("w2", "p2.txt", "second")));
        Api.Resp r = decide(id, first, "{\"decision\":\"approve\"}");
        assertEquals(200, r.status(), r.body());
        assertEquals("awaiting_approval", r.json().getString("stop_reason"), "the continuation paused again");
        assertEquals("new text", Files.readString(workspace.resolve("p1.txt")));

        JsonObject session = api.get("/api/v1/sessions/" + id).json();
        assertEquals(
                "w2", session.getJsonArray("pending_approvals").getJsonObject(0).getString("tool_call_id"));
        JsonArray audit = session.getJsonArray("approvals_audit");
        assertEquals(1, audit.size(), session.toString());
        assertEquals(first, audit.getJsonObject(0).getString("approval_id"));
        assertEquals("approve", audit.getJsonObject(0).getJsonObject("decision").getString("decision"));

        scripted.enqueue(Reply.text("Both written."));
        assertEquals(
                200, decide(id, pendingId(id, 0), "{\"decision\":\"approve\"}").status());
        assertEquals(
                2,
                api.get("/api/v1/sessions/" + id)
                        .json()
                        .getJsonArray("approvals_audit")
                        .size());
    }

    @Test
    void denyingWithAReasonStreamsTheContinuationAndTheModelSeesTheReason() {
        String id = session();
        pause(id, "d.txt");

        scripted.enqueue(Reply.text("Understood, I will not write."));
        Api.SseResult stream = api.withHeaders("Accept", "text/event-stream").stream(
                "/api/v1/sessions/" + id + "/approvals/" + pendingId(id, 0),
                "{\"decision\":\"deny\",\"reason\":\"not in this folder\"}");

        assertEquals(200, stream.status());
        assertEquals(
                "done",
                stream.events().getLast().getString("type"),
                stream.events().toString());
        assertEquals("end_turn", stream.events().getLast().getString("stop_reason"));
        assertTrue(
                stream.events().stream()
                        .anyMatch(e -> e.getString("type").equals("tool_result")
                                && e.getBoolean("is_error")
                                && e.getString("output").contains("not in this folder")),
                stream.events().toString());
        JsonObject result = lastToolResult();
        assertTrue(result.getBoolean("is_error"), result.toString());
        assertEquals("The user denied this Write call: not in this folder", result.getString("content"));
        assertFalse(Files.exists(workspace.resolve("d.txt")));
        JsonObject audit = api.get("/api/v1/sessions/" + id)
                .json()
                .getJsonArray("approvals_audit")
                .getJsonObject(0);
        assertEquals("w1", audit.getString("tool_call_id"));
        assertEquals("deny", audit.getJsonObject("decision").getString("decision"));
        assertEquals("not in this folder", audit.getJsonObject("decision").getString("reason"));
        assertTrue(audit.getJsonObject("decision").containsKey("decided_at"));
    }

    @Test
    void twoGatedCallsContinueOnlyWhenBothAreDecided() throws Exception {
        String id = session();
        scripted.enqueue(Reply.turn(write("w1", "e1.txt", "one"), write("w2", "e2.txt", "two")));
        Api.Resp paused = api.post("/api/v1/chat/invoke", body(id, "Write two files"));
        assertEquals(2, paused.json().getJsonArray("pending_approvals").size(), paused.body());
        String first = pendingId(id, 0);
        String second = pendingId(id, 1);

        Api.Resp recorded = decide(id, first, "{\"decision\":\"approve\"}");
        assertEquals(200, recorded.status(), recorded.body());
        assertEquals("recorded", recorded.json().getString("status"));
        assertEquals(
                second,
                recorded.json()
                        .getJsonArray("pending_approvals")
                        .getJsonObject(0)
                        .getString("approval_id"));
        assertFalse(Files.exists(workspace.resolve("e1.txt")), "nothing runs before the last decision");
        assertEquals(409, decide(id, first, "{\"decision\":\"deny\"}").status(), "a second decision");

        scripted.enqueue(Reply.text("One written."));
        Api.Resp done = decide(id, second, "{\"decision\":\"deny\"}");
        assertEquals(200, done.status(), done.body());
        assertEquals("one", Files.readString(workspace.resolve("e1.txt")));
        assertFalse(Files.exists(workspace.resolve("e2.txt")));
    }

    @Test
    void badDecisionsAreRefused() {
        String id = session();
        pause(id, "f.txt");
        String approvalId = pendingId(id, 0);
        assertEquals(400, decide(id, approvalId, "{not json").status());
        assertEquals(422, decide(id, approvalId, "{\"decision\":\"maybe\"}").status());
        assertEquals(422, decide(id, approvalId, "{}").status());
        assertEquals(
                422,
                decide(id, approvalId, "{\"decision\":\"approve\",\"remember\":\"yes\"}")
                        .status());
        assertEquals(
                404,
                decide(id, "no-such-approval", "{\"decision\":\"approve\"}").status());
        assertEquals(
                404,
                decide("00000000-0000-4000-8000-000000000000", approvalId, "{\"decision\":\"approve\"}")
                        .status());
    }

    @Test
    void rememberApprovesTheToolForTheRestOfTheSession() throws Exception {
        String id = session();
        pause(id, "g1.txt");
        scripted.enqueue(Reply.text("ok"));
        assertEquals(
                200,
                decide(id, pendingId(id, 0), "{\"decision\":\"approve\",\"remember\":true}")
                        .status());

        scripted.enqueue(Reply.turn(write("w9", "g2.txt", "again")), Reply.text("Done again."));
        Api.Resp next = api.post("/api/v1/chat/invoke", body(id, "Once more"));
        assertEquals("end_turn", next.json().getString("stop_reason"), next.body());
        assertEquals("again", Files.readString(workspace.resolve("g2.txt")));
    }

    @Test
    void overTheWebSocketARequestIsDecidedAndTheContinuationStreamsOnTheSocket() throws Exception {
        String id = session();
        try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + id)) {
            scripted.enqueue(Reply.turn(write("w1", "h.txt", "via ws")));
            ws.send("{\"message\":\"Write h\"}");
            JsonObject request = ws.until("approval_request");
            JsonObject done = ws.until("done");
            assertEquals("awaiting_approval", done.getString("stop_reason"));

            scripted.enqueue(Reply.text("Wrote h."));
            ws.send(Json.write(Json.object()
                    .add("type", "approval")
                    .add("approval_id", request.getString("approval_id"))
                    .add("decision", "approve")
                    .build()));
            JsonObject result = ws.until("tool_result");
            assertEquals("w1", result.getString("id"));
            assertEquals("end_turn", ws.until("done").getString("stop_reason"));
            assertEquals("via ws", Files.readString(workspace.resolve("h.txt")));

            ws.send("{\"type\":\"approval\",\"approval_id\":\"gone\",\"decision\":\"approve\"}");
            assertTrue(ws.until("error").getString("detail").contains("No approval gone"));
        }
    }

    @Test
    void aCancelDeniesEveryWaitingCallAndTheModelIsTold() {
        String id = session();
        try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + id)) {
            scripted.enqueue(Reply.turn(write("w1", "i1.txt", "1"), write("w2", "i2.txt", "2")));
            ws.send("{\"message\":\"Write both\"}");
            assertEquals("awaiting_approval", ws.until("done").getString("stop_reason"));

            scripted.enqueue(Reply.text("Stopped."));
            ws.send("{\"type\":\"cancel\"}");
            assertEquals("end_turn", ws.until("done").getString("stop_reason"));
        }
        assertEquals(
                "The user denied this Write call: cancelled by the user",
                lastToolResult().getString("content"));
        assertFalse(Files.exists(workspace.resolve("i1.txt")));
        assertTrue(api.get("/api/v1/sessions/" + id)
                .json()
                .getJsonArray("pending_approvals")
                .isEmpty());

        pause(id, "i3.txt");
        scripted.enqueue(Reply.text("Stopped again."));
        Api.Resp cancel = api.post("/api/v1/sessions/" + id + "/cancel", null);
        assertEquals(200, cancel.status(), cancel.body());
        assertEquals("denied", cancel.json().getString("status"));
        assertTrue(lastToolResult().getString("content").contains("cancelled by the user"));
    }
}
