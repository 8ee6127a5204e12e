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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The studio hosting declared agents as {@code miu serve} builds them ({@link ConfiguredAgents} over the pattern
 * classes): a keyword router, a pipeline, an orchestrator with parallel tasks and an agent called as a tool, each
 * over one transport, with the sub-agents' runs framed and labelled and the answers stored with who gave them.
 */
@ServerTest
@Timeout(60)
class DeclaredAgentsChatTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private static final String MODEL = "anthropic:claude-test";

    private final URI uri;
    private final Api api;

    DeclaredAgentsChatTest(URI uri) {
        this.uri = uri;
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Path data = StudioFixtures.tempDir();
        MiuConfig config = StudioFixtures.config(scripted.settings(), data, StudioFixtures.server())
                .withAgents(new AgentsSettings(List.of(), "writer", data, false));
        var agents = ConfiguredAgents.of(
                List.of(
                        model("writer", "Write well.", List.of()),
                        model("researcher", "Find facts.", List.of()),
                        model("lead", "Delegate writing.", List.of(new ToolRef.AgentTool("writer"))),
                        model("coder", "Read code.", List.of(new ToolRef.Code(data, "plan"))),
                        model(
                                "clock",
                                "Tell the time.",
                                List.of(new ToolRef.Builtin("current_time", ToolRef.Approval.ALWAYS))),
                        new AgentDefinition.Router(
                                "timedesk",
                                "Time desk",
                                null,
                                List.of(new AgentDefinition.RouteDefinition("clock", null, List.of("time"), null, 10)),
                                null,
                                "writer"),
                        new AgentDefinition.Pipeline("timepipe", "Clock, then write", null, List.of("clock", "writer")),
                        new AgentDefinition.Router(
                                "desk",
                                "Front desk",
                                null,
                                List.of(new AgentDefinition.RouteDefinition(
                                        "researcher", null, List.of("fact"), null, 10)),
                                null,
                                "writer"),
                        new AgentDefinition.Pipeline(
                                "pipe", "Research, then write", null, List.of("researcher", "writer")),
                        new AgentDefinition.Orchestrator(
                                "orch",
                                "Two angles, one report",
                                null,
                                List.of(
                                        new AgentDefinition.TaskDefinition("a", "researcher", "Angle A", List.of()),
                                        new AgentDefinition.TaskDefinition("b", "researcher", "Angle B", List.of()),
                                        new AgentDefinition.TaskDefinition(
                                                "report", "writer", "Combine", List.of("a", "b"))),
                                2)),
                config,
                AgentReferences.byName(List.of(), List.of()),
                McpServers.none(),
                null,
                StudioFixtures.FAST_RETRIES);
        StudioFixtures.mount(server, StudioFixtures.studio(scripted.settings(), data, agents));
    }

    private static AgentDefinition.Model model(String name, String instructions, List<ToolRef> tools) {
        return new AgentDefinition.Model(name, "The " + name, null, MODEL, instructions, 5, 512, null, tools);
    }

    private String session(String agent) {
        return api.post("/api/v1/sessions", "{\"agent\":\"" + agent + "\"}")
                .json()
                .getString("id");
    }

    private static String body(String id, String message) {
        return Json.write(
                Json.object().add("session_id", id).add("message", message).build());
    }

    /** The agents named by agent_start events, in order. */
    private static List<String> started(List<JsonObject> events) {
        return events.stream()
                .filter(e -> e.getString("type").equals("agent_start"))
                .map(e -> e.getString("agent"))
                .toList();
    }

    private static List<String> storedAgents(JsonArray messages) {
        List<String> out = new ArrayList<>();
        messages.getValuesAs(JsonObject.class).forEach(m -> out.add(m.getString("agent", "-")));
        return out;
    }

    @Test
    void aRoutedAgentsPauseIsTheSessionsAndThatAgentResumesIt() {
        String id = session("timedesk");
        scripted.enqueue(Reply.turn(new Reply.ToolCall("t1", "current_time", "{}")));
        Api.Resp paused = api.post("/api/v1/chat/invoke", body(id, "What time is it?"));
        assertEquals(200, paused.status(), paused.body());
        assertEquals("awaiting_approval", paused.json().getString("stop_reason"), paused.body());
        JsonObject pending = paused.json().getJsonArray("pending_approvals").getJsonObject(0);
        assertEquals("clock", pending.getString("agent"), "the routed agent asks");
        assertEquals("current_time", pending.getString("name"));

        scripted.enqueue(Reply.text("It is noon."));
        Api.Resp resumed = api.post(
                "/api/v1/sessions/" + id + "/approvals/" + pending.getString("approval_id"),
                "{\"decision\":\"approve\"}");
        assertEquals(200, resumed.status(), resumed.body());
        assertEquals("It is noon.", resumed.json().getString("response"), resumed.body());
        assertEquals("Tell the time.", scripted.lastRequest().json().getString("system"), "the clock resumed");
        JsonArray messages = api.get("/api/v1/sessions/" + id).json().getJsonArray("messages");
        assertEquals(List.of("-", "clock", "clock", "clock"), storedAgents(messages), messages.toString());
    }

    @Test
    void aPipelineStepCannotWaitForAPersonAndSaysWhy() {
        String id = session("timepipe");
        scripted.enqueue(Reply.turn(new Reply.ToolCall("t1", "current_time", "{}")));
        Api.Resp r = api.post("/api/v1/chat/invoke", body(id, "Time, then a poem"));
        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().contains("needs a person's approval to run current_time"), r.body());
        assertFalse(r.json().containsKey("pending_approvals"), r.body());
    }

    @Test
    void theAgentListNamesAWorkspaceByItsFolderOnly() {
        String listed = api.get("/api/v1/agents").body();
        assertTrue(listed.contains("\"code:miu-studio-test"), listed);
        assertFalse(listed.contains(System.getProperty("java.io.tmpdir")), "no server path in the answer: " + listed);
    }

    @Test
    void theRouterChoosesByKeywordElseItsDefault() {
        String id = session("desk");
        scripted.enqueue(Reply.text("Water boils at 100 C"));
        Api.Resp routed = api.post("/api/v1/chat/invoke", body(id, "A fact about water, please"));
        assertEquals(200, routed.status(), routed.body());
        assertEquals("Find facts.", scripted.lastRequest().json().getString("system"), "the researcher answered");

        scripted.enqueue(Reply.text("A short poem"));
        api.post("/api/v1/chat/invoke", body(id, "Something nice"));
        assertEquals("Write well.", scripted.lastRequest().json().getString("system"), "the default route");

        JsonArray messages = api.get("/api/v1/sessions/" + id).json().getJsonArray("messages");
        assertEquals(List.of("-", "researcher", "-", "writer"), storedAgents(messages));
    }

    @Test
    void aPipelineStreamsEachStageFramedInOrder() {
        String id = session("pipe");
        scripted.enqueue(Reply.text("Facts: the sea is salty"), Reply.text("The salty sea, in prose"));
        Api.SseResult stream = api.stream("/api/v1/chat/stream", body(id, "Tell me about the sea"));
        assertEquals(200, stream.status());
        assertEquals(
                List.of("researcher", "writer"),
                started(stream.events()),
                stream.events().toString());
        String writerCall = scripted.lastRequest().body();
        assertTrue(
                writerCall.contains("Facts: the sea is salty") && writerCall.contains("Write well."),
                "the writer works on the researcher's answer: " + writerCall);
        JsonArray messages = api.get("/api/v1/sessions/" + id).json().getJsonArray("messages");
        assertEquals(List.of("-", "writer"), storedAgents(messages), "the last stage's answer is stored");
    }

    @Test
    void anOrchestratorRunsParallelTasksThenTheFinalOneOverTheWebSocket() {
        String id = session("orch");
        scripted.enqueue(Reply.text("Notes"), Reply.text("Notes"), Reply.text("The report"));
        try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + id)) {
            ws.send("{\"message\":\"The harbour\"}");
            List<JsonObject> events = new ArrayList<>();
            do {
                events.add(ws.next());
            } while (!events.getLast().getString("type").equals("done"));
            List<String> started = started(events);
            assertEquals(3, started.size(), events.toString());
            assertEquals(List.of("researcher", "researcher"), started.subList(0, 2), "the two independent tasks");
            assertEquals("writer", started.get(2), "the report waits for both");
            assertEquals(
                    3,
                    events.stream()
                            .filter(e -> e.getString("type").equals("agent_end"))
                            .count());
        }
        String last = scripted.lastRequest().body();
        assertTrue(last.contains("Combine") && last.contains("The harbour"), last);
    }

    @Test
    void anAgentCalledAsAToolStreamsInsideTheCallersTurn() {
        String id = session("lead");
        scripted.enqueue(
                Reply.toolCall("call_1", "writer", "{\"task\":\"A line about the moon\"}"),
                Reply.text("The moon, a silver coin"),
                Reply.text("Here is your line: The moon, a silver coin"));
        Api.SseResult stream = api.stream("/api/v1/chat/stream", body(id, "Get me a line about the moon"));
        List<String> types = stream.shape();
        assertEquals(
                List.of(
                        "usage",
                        "tool_call",
                        "agent_start",
                        "chunk",
                        "usage",
                        "agent_end",
                        "tool_result",
                        "chunk",
                        "usage",
                        "done"),
                types,
                stream.events().toString());
        JsonObject result = stream.events().stream()
                .filter(e -> e.getString("type").equals("tool_result"))
                .findFirst()
                .orElseThrow();
        assertEquals("The moon, a silver coin", result.getString("output"));
        String ownText = stream.events().stream()
                .filter(e -> e.getString("type").equals("chunk") && !e.containsKey("agent"))
                .map(e -> e.getString("content"))
                .reduce("", String::concat);
        assertEquals("Here is your line: The moon, a silver coin", ownText, "the caller's own words carry no agent");
    }
}
