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
        MiuConfig config = StudioFixtures.config(scripted.settings(), data, StudioFixtures.server())
                .withAgents(new AgentsSettings(List.of(), "coder", data, false));
        var agents = ConfiguredAgents.of(
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
        StudioFixtures.mount(server, StudioFixtures.studio(scripted.settings(), data, agents));
    }

    private static String body(String id, String message) {
        return Json.write(
                Json.object().add("session_id", id).add("message", message).build());
    }

    private static Reply.ToolCall write(String id, String file, String content) {
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
}
