package dev.miu.agents;

import dev.miu.config.AgentDefinition;
import dev.miu.config.MiuConfig;
import dev.miu.config.ToolRef;
import dev.miu.core.agent.Agent;
import dev.miu.core.agent.Response;
import dev.miu.core.json.Json;
import dev.miu.core.mcp.McpClient;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.mcp.NpmMcpServers;
import dev.miu.core.message.StopReason;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.rag.Embedders;
import dev.miu.rag.KnowledgeBase;
import dev.miu.testing.RecordedRequest;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Declared agents made runnable: model agents with their tools, agents as tools, coding tools in a workspace. */
@Timeout(30)
class ConfiguredAgentsTest {

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    @TempDir
    Path dir;

    private static final String MODEL = "anthropic:claude-test";

    private ConfiguredAgents catalog(String defaultAgent, AgentDefinition... definitions) {
        MiuConfig config = MiuConfig.defaults(dir.resolve("data")).withProviders(llm.settings());
        return ConfiguredAgents.of(
                List.of(definitions),
                config.withAgents(new dev.miu.config.AgentsSettings(List.of(), defaultAgent, dir, false)),
                AgentReferences.byName(List.of(), List.of()),
                McpServers.none(),
                null,
                ProviderOptions.DEFAULT);
    }

    private static AgentDefinition.Model model(String name, String instructions, ToolRef... tools) {
        return new AgentDefinition.Model(name, "The " + name, null, MODEL, instructions, 5, 512, null, List.of(tools));
    }

    /** The content of the last tool result the request sends back. */
    private static String lastToolResult(RecordedRequest request) {
        JsonArray messages = request.json().getJsonArray("messages");
        JsonArray content = messages.getJsonObject(messages.size() - 1).getJsonArray("content");
        return content.getJsonObject(content.size() - 1).getString("content");
    }

    private static List<String> toolNames(RecordedRequest request) {
        return request.json().getJsonArray("tools").stream()
                .map(t -> ((JsonObject) t).getString("name"))
                .toList();
    }

    @Test
    void aModelAgentGetsItsBuiltinToolAndAnotherAgentAsATool() {
        var agents = catalog(
                "writer",
                model("researcher", "You research."),
                model(
                        "writer",
                        "You write.",
                        new ToolRef.Builtin("current_time"),
                        new ToolRef.AgentTool("researcher")));
        llm.enqueue(
                Reply.toolCall("toolu_1", "researcher", "{\"task\":\"Find one fact about Lisbon\"}"),
                Reply.text("Lisbon is older than Rome."),
                Reply.text("Here is the article: Lisbon is older than Rome."));

        Response response = agents.create("writer", null, null).run("Write about Lisbon");

        assertEquals("Here is the article: Lisbon is older than Rome.", response.text());
        llm.assertAllConsumed();
        List<RecordedRequest> requests = llm.requests();
        assertEquals(List.of("current_time", "researcher"), toolNames(requests.get(0)));
        assertEquals("You write.", requests.get(0).json().getString("system"));
        JsonObject researcher = requests.get(1).json();
        assertEquals("You research.", researcher.getString("system"));
        assertTrue(researcher.getJsonArray("messages").toString().contains("Find one fact about Lisbon"));
        assertEquals("Lisbon is older than Rome.", lastToolResult(requests.get(2)), "the answer is the tool result");
    }

    @Test
    void mcpEntriesGiveTheNamedServersToolsAndRagEntriesTheSearchTool() throws Exception {
        MiuConfig config = MiuConfig.defaults(dir.resolve("data")).withProviders(llm.settings());
        try (McpServers mcp = McpServers.start(
                        Map.of("everything", NpmMcpServers.everythingStdio()), dir, McpClient.Options.DEFAULT);
                KnowledgeBase knowledge = Embedders.knowledgeBase(config.rag(), config.providers())) {
            var one = model("one", null, new ToolRef.Mcp("everything", "echo"), new ToolRef.Rag("docs"));
            var all = model("all", null, new ToolRef.Mcp("everything", null));
            var agents = ConfiguredAgents.of(
                    List.of(one, all),
                    config.withAgents(new dev.miu.config.AgentsSettings(List.of(), "one", dir, false)),
                    AgentReferences.of(mcp, List.of("docs")),
                    mcp,
                    knowledge,
                    ProviderOptions.DEFAULT);
            llm.enqueue(Reply.text("ok"), Reply.text("ok"));
            agents.create("one", null, null).run("hi");
            assertEquals(List.of("everything__echo", "search_knowledge"), toolNames(llm.lastRequest()));
            agents.create("all", null, null).run("hi");
            List<String> everything = toolNames(llm.lastRequest());
            assertTrue(everything.size() > 1 && everything.contains("everything__echo"), everything.toString());
            assertTrue(everything.stream().allMatch(n -> n.startsWith("everything__")), everything.toString());
        }
    }

    @Test
    void overridesReplaceTheModelAndTheInstructionsOfAModelAgent() {
        var agents = catalog("a", model("a", "Declared instructions."));
        llm.enqueue(Reply.text("ok"));
        Agent agent = agents.create("a", "anthropic:claude-other", "Session instructions.");
        assertEquals("a", agent.config().name());
        agent.run("hi");
        JsonObject request = llm.lastRequest().json();
        assertEquals("claude-other", request.getString("model"));
        assertEquals("Session instructions.", request.getString("system"));
        assertThrows(NoSuchElementException.class, () -> agents.create("nobody", null, null));
    }

    @Test
    void codingToolsWorkInTheAgentsWorkspaceAndRefusePathsOutsideIt() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("ws"));
        Files.writeString(workspace.resolve("notes.txt"), "inside the workspace");
        Files.writeString(dir.resolve("secret.txt"), "TOP SECRET");
        var agents = catalog("coder", model("coder", null, new ToolRef.Code(workspace, "plan")));
        llm.enqueue(
                Reply.toolCall(
                        "toolu_1",
                        "Read",
                        Json.write(Json.object().add("file_path", "notes.txt").build())),
                Reply.toolCall(
                        "toolu_2",
                        "Read",
                        Json.write(
                                Json.object().add("file_path", "../secret.txt").build())),
                Reply.text("Done."));

        Response response = agents.create("coder", null, null).run("Read the notes");

        assertEquals(StopReason.END_TURN, response.stopReason());
        List<RecordedRequest> requests = llm.requests();
        assertEquals(Set.of("Read", "Glob", "Grep"), Set.copyOf(toolNames(requests.get(0))), "plan: read-only tools");
        assertTrue(lastToolResult(requests.get(1)).contains("inside the workspace"), lastToolResult(requests.get(1)));
        String refused = lastToolResult(requests.get(2));
        assertTrue(refused.contains("outside the workspace " + workspace.toRealPath()), refused);
        assertFalse(refused.contains("TOP SECRET"), refused);
    }

    @Test
    void normalModeGivesAllSixCodingTools() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("ws"));
        var agents = catalog("coder", model("coder", null, new ToolRef.Code(workspace, "normal")));
        llm.enqueue(Reply.text("ok"));
        agents.create("coder", null, null).run("hi");
        assertEquals(Set.of("Read", "Glob", "Grep", "Write", "Edit", "Bash"), Set.copyOf(toolNames(llm.lastRequest())));
    }

    @Test
    void aToolWhoseEntrySaysAlwaysWaitsAndTheDefaultsGateCodeChanges() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("ws"));
        Files.writeString(workspace.resolve("b.txt"), "b");
        var agents = catalog(
                "coder",
                model(
                        "coder",
                        null,
                        new ToolRef.Builtin("current_time", ToolRef.Approval.ALWAYS),
                        new ToolRef.Code(workspace, "normal", Map.of("Edit", ToolRef.Approval.NEVER))));
        llm.enqueue(Reply.turn(
                new Reply.ToolCall("toolu_1", "Write", "{\"file_path\":\"a.txt\",\"content\":\"x\"}"),
                new Reply.ToolCall("toolu_2", "current_time", "{}"),
                new Reply.ToolCall("toolu_3", "Read", "{\"file_path\":\"b.txt\"}")));

        Response response = agents.create("coder", null, null).run("go");

        // Write waits by default (mode normal), current_time because its entry says so; Read runs unasked
        assertEquals(StopReason.AWAITING_APPROVAL, response.stopReason());
        assertEquals(
                List.of("Write", "current_time"),
                response.pending().waiting().stream().map(u -> u.name()).toList());
        assertEquals(
                List.of("toolu_3"),
                response.pending().done().stream().map(r -> r.toolUseId()).toList());
        assertFalse(Files.exists(workspace.resolve("a.txt")), "Write waited");
    }

    @Test
    void inAutoModeTheCodingToolsRunUnasked() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("ws"));
        var agents = catalog("coder", model("coder", null, new ToolRef.Code(workspace, "auto")));
        llm.enqueue(Reply.turn(new Reply.ToolCall("toolu_1", "Write", "{\"file_path\":\"a.txt\",\"content\":\"x\"}")));
        llm.enqueue(Reply.text("written"));

        Response response = agents.create("coder", null, null).run("go");

        assertEquals(StopReason.END_TURN, response.stopReason());
        assertEquals("x", Files.readString(workspace.resolve("a.txt")));
    }

    @Test
    void aRouterSendsAMessageToTheAgentItsKeywordsChoose() {
        var router = new AgentDefinition.Router(
                "desk",
                "Help desk",
                null,
                List.of(new AgentDefinition.RouteDefinition("billing", null, List.of("refund"), null, 10)),
                null,
                "general");
        var agents = catalog("desk", model("billing", "You do billing."), model("general", "You do the rest."), router);
        llm.enqueue(Reply.text("Your refund is on its way."));

        Response response = agents.create("desk", null, null).run("I want a refund please");

        assertEquals("Your refund is on its way.", response.text());
        assertEquals("You do billing.", llm.lastRequest().json().getString("system"));
        llm.assertAllConsumed();
    }

    @Test
    void aPipelineRunsItsStagesInOrderOnThePreviousAnswer() {
        var pipeline = new AgentDefinition.Pipeline("chain", "", null, List.of("first", "second"));
        var agents = catalog("chain", model("first", "One."), model("second", "Two."), pipeline);
        llm.enqueue(Reply.text("draft"), Reply.text("final"));

        assertEquals("final", agents.create("chain", null, null).run("start").text());
        assertTrue(llm.lastRequest().json().getJsonArray("messages").toString().contains("draft"));
    }

    @Test
    void aTurnsLimitsReachAnOrchestratorsTasksAndAnAgentUsedAsATool() {
        var orchestrator = new AgentDefinition.Orchestrator(
                "team",
                "",
                null,
                List.of(new AgentDefinition.TaskDefinition("only", "writer", "Write it.", List.of())),
                1);
        var agents = catalog(
                "team",
                model("researcher", "You research."),
                model("writer", "You write.", new ToolRef.AgentTool("researcher")),
                orchestrator);
        llm.enqueue(
                Reply.toolCall("toolu_1", "researcher", "{\"task\":\"Find a fact\"}"),
                Reply.text("A fact."),
                Reply.text("Written with a fact."));

        agents.create("team", null, null, new SamplingLimits(64, 0.25)).run("Write about Lisbon");

        llm.assertAllConsumed();
        List<RecordedRequest> requests = llm.requests();
        assertEquals(3, requests.size());
        for (RecordedRequest request : requests) {
            assertEquals(64, request.json().getInt("max_tokens"), request.body());
            assertEquals(0.25, request.json().getJsonNumber("temperature").doubleValue(), 1e-9, request.body());
        }
        assertEquals("You research.", requests.get(1).json().getString("system"), "the agent tool ran");
        llm.enqueue(Reply.text("ok"));
        agents.create("writer", null, null, new SamplingLimits(4000, null)).run("hi");
        assertEquals(512, llm.lastRequest().json().getInt("max_tokens"), "a limit is only lowered");
        assertFalse(llm.lastRequest().json().containsKey("temperature"));
    }
}
