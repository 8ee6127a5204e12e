package dev.miu.code;

import dev.miu.code.approval.ApprovalGate;
import dev.miu.code.approval.Decision;
import dev.miu.code.session.SessionStore;
import dev.miu.config.AgentSettings;
import dev.miu.config.MiuConfig;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.Response;
import dev.miu.core.json.Json;
import dev.miu.core.message.StopReason;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.Providers;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coding agent against the scripted LLM: modes as the model sees them, denials it reads, sessions on disk. */
@Timeout(60)
class CodingAgentTest {

    @TempDir
    Path tmp;

    Path root;

    @RegisterExtension
    final ScriptedLlmServer llm = ScriptedLlmServer.start();

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("ws"));
    }

    private CodingAgent agent(Mode mode, dev.miu.code.approval.Approver approver) {
        var providers = new Providers(llm.settings(), ProviderOptions.DEFAULT);
        var settings = new AgentSettings(null, null, 10, 1024, null, 100_000);
        return new CodingAgent(
                settings,
                providers::create,
                ModelSpec.parse("anthropic:claude-test"),
                Workspace.of(root),
                new ApprovalGate(mode, approver),
                new SessionStore(tmp.resolve("data")));
    }

    private static List<String> toolNames(JsonObject request) {
        return request.getJsonArray("tools").stream()
                .map(v -> v.asJsonObject().getString("name"))
                .toList();
    }

    /** The tool_result blocks of the last user message of a request. */
    private static List<JsonObject> toolResults(JsonObject request) {
        JsonArray messages = request.getJsonArray("messages");
        List<JsonObject> out = new ArrayList<>();
        for (JsonValue block : messages.getJsonObject(messages.size() - 1).getJsonArray("content")) {
            if ("tool_result".equals(block.asJsonObject().getString("type"))) {
                out.add(block.asJsonObject());
            }
        }
        return out;
    }

    private static String text(JsonObject toolResult) {
        JsonValue c = toolResult.get("content");
        return c instanceof jakarta.json.JsonString s ? s.getString() : Json.write(c);
    }

    @Test
    void normalModeDenialReachesTheModelWithTheReason() {
        llm.enqueue(
                Reply.toolCall("w1", "Write", "{\"file_path\":\"notes.txt\",\"content\":\"hello\"}"),
                Reply.text("Understood, I will not write it."));
        var agent = agent(Mode.NORMAL, request -> new Decision.Deny("not in this folder"));
        List<AgentEvent> events = new ArrayList<>();
        Response r = agent.send("write a note", events::add);
        assertEquals("Understood, I will not write it.", r.text());
        assertFalse(Files.exists(root.resolve("notes.txt")));
        JsonObject second = llm.requests().get(1).json();
        List<JsonObject> results = toolResults(second);
        assertEquals(1, results.size());
        assertEquals("The user denied this Write call: not in this folder", text(results.getFirst()));
        assertTrue(results.getFirst().getBoolean("is_error", false));
        assertTrue(events.stream().anyMatch(e -> e instanceof AgentEvent.ToolResult t && t.isError()));
        String system = llm.requests().getFirst().json().getString("system");
        assertTrue(system.contains("ask the user for approval"), system);
        assertEquals(
                List.of("Read", "Glob", "Grep", "Write", "Edit", "Bash"),
                toolNames(llm.requests().getFirst().json()));
        llm.assertAllConsumed();
    }

    @Test
    void planModeOffersOnlyReadToolsAndSaysItIsPlanning() throws Exception {
        Files.writeString(root.resolve("App.java"), "class App {}\n");
        llm.enqueue(
                Reply.toolCall("r1", "Read", "{\"file_path\":\"App.java\"}"),
                Reply.toolCall("w1", "Write", "{\"file_path\":\"App.java\",\"content\":\"gone\"}"),
                Reply.text("Plan: 1. rename App."));
        var agent = agent(Mode.PLAN, request -> {
            throw new AssertionError("plan mode never asks");
        });
        Response r = agent.send("plan a rename", e -> {});
        assertEquals("Plan: 1. rename App.", r.text());
        JsonObject first = llm.requests().getFirst().json();
        assertEquals(List.of("Read", "Glob", "Grep"), toolNames(first));
        assertTrue(first.getString("system").contains("PLAN mode"));
        assertTrue(text(toolResults(llm.requests().get(1).json()).getFirst()).contains("class App {}"));
        assertTrue(toolResults(llm.requests().get(2).json()).getFirst().getBoolean("is_error"));
        assertEquals("class App {}\n", Files.readString(root.resolve("App.java")));
        llm.assertAllConsumed();
    }

    @Test
    void autoModeRunsBashWithoutAsking() throws Exception {
        llm.enqueue(
                Reply.toolCall("b1", "Bash", "{\"command\":\"echo made > out.txt && cat out.txt\"}"),
                Reply.text("Done."));
        var agent = agent(Mode.AUTO, request -> {
            throw new AssertionError("auto mode never asks");
        });
        agent.send("make a file", e -> {});
        assertEquals("made\n", Files.readString(root.resolve("out.txt")));
        assertEquals(
                "Exit code: 0\nmade\n",
                text(toolResults(llm.requests().get(1).json()).getFirst()));
        llm.assertAllConsumed();
    }

    @Test
    void modeChangesTakeEffectOnTheNextTurn() {
        llm.enqueue(Reply.text("first"), Reply.text("second"));
        var agent = agent(Mode.NORMAL, request -> new Decision.Allow());
        agent.send("one", e -> {});
        agent.gate().setMode(Mode.PLAN);
        agent.send("two", e -> {});
        assertEquals(6, toolNames(llm.requests().get(0).json()).size());
        assertEquals(3, toolNames(llm.requests().get(1).json()).size());
        assertEquals(3, llm.requests().get(1).json().getJsonArray("messages").size(), "history carried over");
    }

    @Test
    void sessionsAreSavedAndResumedWithContinueOrId() throws Exception {
        llm.enqueue(Reply.text("Hi! I'm ready.").withUsage(1200, 30), Reply.text("We talked about hi."));
        var first = agent(Mode.NORMAL, request -> new Decision.Allow());
        first.send("hi there", e -> {});
        assertEquals(1230, first.contextTokensUsed());
        String id = first.sessionId();

        var env = new HashMap<>(llm.environment());
        env.put("MIU_DATA_DIR", tmp.resolve("data").toString());
        MiuConfig config = MiuConfig.load(null, env);
        var resumed = CodingAgents.create(
                config,
                new CodingOptions("anthropic:claude-test", Mode.NORMAL, null, true, root),
                request -> new Decision.Allow());
        assertEquals(id, resumed.sessionId());
        assertEquals(2, resumed.history().size());
        resumed.send("what did we talk about?", e -> {});
        JsonArray sent = llm.lastRequest().json().getJsonArray("messages");
        assertEquals(3, sent.size());
        assertEquals(
                "hi there",
                sent.getJsonObject(0).getJsonArray("content").getJsonObject(0).getString("text"));

        var byId = CodingAgents.create(
                config,
                new CodingOptions("anthropic:claude-test", Mode.NORMAL, id, false, root),
                request -> new Decision.Allow());
        assertEquals(4, byId.history().size(), "the resumed turn was appended to the same file");
        var stored =
                new SessionStore(tmp.resolve("data")).list(root.toRealPath().toString());
        assertEquals(1, stored.size());
        assertEquals("hi there", stored.getFirst().title());
        llm.assertAllConsumed();
    }

    @Test
    void aCancelledTurnIsKeptAndTheHistoryStaysValid() throws Exception {
        llm.enqueue(Reply.toolCall("b1", "Bash", "{\"command\":\"sleep 30\"}"));
        var agent = agent(Mode.AUTO, request -> new Decision.Allow());
        var result = new java.util.concurrent.atomic.AtomicReference<Response>();
        var toolRuns = new java.util.concurrent.CountDownLatch(1);
        Thread t = Thread.ofVirtual()
                .start(() -> result.set(agent.send("sleep", e -> {
                    if (e instanceof AgentEvent.ToolCall) {
                        toolRuns.countDown();
                    }
                })));
        assertTrue(toolRuns.await(30, java.util.concurrent.TimeUnit.SECONDS), "the Bash call started");
        t.interrupt();
        t.join(10_000);
        assertEquals(StopReason.CANCELLED, result.get().stopReason());
        assertEquals(3, agent.history().size(), "user, tool call, and the cancelled tool result");
        llm.assertAllConsumed();
    }
}
