package dev.miu.core.agent;

import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.StopReason;
import dev.miu.core.provider.Provider;
import dev.miu.core.provider.TestOptions;
import dev.miu.core.provider.anthropic.AnthropicProvider;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolRegistry;
import dev.miu.core.tool.ToolResult;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tool calls that wait for approval: the run pauses, the pending state is plain data, and resume carries on. */
@Timeout(30)
class ApprovalTest {

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    static Provider provider;

    final List<String> reads = new CopyOnWriteArrayList<>();
    final List<String> writes = new CopyOnWriteArrayList<>();
    final List<AgentEvent> events = new ArrayList<>();
    final ToolContext context = new ToolContext(java.nio.file.Path.of("."), "s1");

    @BeforeAll
    static void start() {
        provider = new AnthropicProvider(ScriptedLlmServer.API_KEY, llm.baseUrl(), TestOptions.FAST);
    }

    @BeforeEach
    void clear() {
        reads.clear();
        writes.clear();
        events.clear();
    }

    private ReActAgent agent() {
        JsonObject schema = Json.parseObject("{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"string\"}}}");
        Tool read = Tool.of("read", "Reads", schema, (in, ctx) -> {
            reads.add(in.getString("x"));
            return ToolResult.ok("read " + in.getString("x"));
        });
        Tool write = Tool.of("write", "Writes", schema, (in, ctx) -> {
            writes.add(in.getString("x"));
            return ToolResult.ok("wrote " + in.getString("x"));
        });
        return new ReActAgent(
                AgentConfig.of("test", "anthropic:test-model"),
                provider,
                ToolRegistry.of(read, write),
                null,
                ApprovalPolicy.forTools("write"));
    }

    private static Reply.ToolCall call(String id, String name, String x) {
        return new Reply.ToolCall(id, name, "{\"x\":\"" + x + "\"}");
    }

    /** The last message the model was sent, as its tool results: id -> content. */
    private static List<String> lastToolResults() {
        JsonArray messages = llm.lastRequest().json().getJsonArray("messages");
        return messages.getJsonObject(messages.size() - 1).getJsonArray("content").stream()
                .map(v -> v.asJsonObject().getString("tool_use_id") + "="
                        + (v.asJsonObject().get("content") instanceof jakarta.json.JsonString s
                                ? s.getString()
                                : Json.write(v.asJsonObject().get("content")))
                        + (v.asJsonObject().getBoolean("is_error", false) ? " (error)" : ""))
                .toList();
    }

    private Response pauseOnMixedCalls(ReActAgent agent, List<Message> conversation) {
        llm.enqueue(Reply.turn(
                call("r1", "read", "a"),
                call("w1", "write", "one"),
                call("r2", "read", "b"),
                call("w2", "write", "two")));
        return agent.stream(conversation, context, events::add);
    }

    @Test
    void theFreeCallsRunAndTheOthersWait() {
        Response paused = pauseOnMixedCalls(agent(), List.of(Message.user("go")));
        assertEquals(StopReason.AWAITING_APPROVAL, paused.stopReason());
        assertEquals("awaiting_approval", paused.stopReason().wireName());
        assertEquals(1, llm.requestCount());
        assertEquals(List.of("a", "b"), reads.stream().sorted().toList(), "each free call ran once");
        assertTrue(writes.isEmpty());
        assertEquals(1, paused.messages().size(), "only the assistant message; no tool results yet");
        assertEquals(4, paused.messages().getFirst().toolUses().size());
        assertEquals(
                List.of("w1", "w2"),
                paused.pending().waiting().stream()
                        .map(ContentBlock.ToolUse::id)
                        .toList());
        assertEquals(
                List.of(
                        new ContentBlock.ToolResult("r1", "read a", false),
                        new ContentBlock.ToolResult("r2", "read b", false)),
                paused.pending().done());
        List<AgentEvent.ApprovalRequest> requests = events.stream()
                .filter(e -> e instanceof AgentEvent.ApprovalRequest)
                .map(e -> (AgentEvent.ApprovalRequest) e)
                .toList();
        assertEquals(
                List.of("w1", "w2"),
                requests.stream().map(AgentEvent.ApprovalRequest::toolCallId).toList());
        assertEquals("one", requests.getFirst().input().getString("x"));
        assertFalse(events.stream()
                .anyMatch(e -> e instanceof AgentEvent.ToolCall c && c.name().equals("write")));
        assertEquals(new AgentEvent.Done(StopReason.AWAITING_APPROVAL, paused.usage()), events.getLast());
        llm.assertAllConsumed();
    }

    @Test
    void resumeRunsTheApprovedCallAndTellsTheModelWhyTheOtherWasDenied() {
        ReActAgent agent = agent();
        List<Message> conversation = new ArrayList<>(List.of(Message.user("go")));
        Response paused = pauseOnMixedCalls(agent, conversation);
        conversation.addAll(paused.messages());
        events.clear();
        llm.enqueue(Reply.text("Wrote one, left two alone."));
        Response done = agent.resume(
                conversation,
                paused.pending(),
                Map.of("w1", ApprovalDecision.approve(), "w2", ApprovalDecision.deny("not that file")),
                context,
                events::add);
        assertEquals(StopReason.END_TURN, done.stopReason());
        assertEquals("Wrote one, left two alone.", done.text());
        assertEquals(List.of("one"), writes);
        assertEquals(2, reads.size(), "the calls that ran before the pause do not run again");
        assertEquals(
                List.of(
                        "r1=read a",
                        "w1=wrote one",
                        "r2=read b",
                        "w2=The user denied this write call: not that file (error)"),
                lastToolResults());
        assertEquals(2, done.messages().size(), "the tool results, then the answer");
        assertEquals(lastToolResultsOf(done.messages().getFirst()), lastToolResults());
        assertTrue(events.contains(
                new AgentEvent.ToolResult("w2", "write", "The user denied this write call: not that file", true)));
        assertTrue(events.stream().anyMatch(e -> e instanceof AgentEvent.ToolCall c && c.id().equals("w1")));
        assertEquals(1, done.iterations());
        llm.assertAllConsumed();
    }

    private static List<String> lastToolResultsOf(Message message) {
        return message.content().stream()
                .map(b -> (ContentBlock.ToolResult) b)
                .map(r -> r.toolUseId() + "=" + r.content() + (r.isError() ? " (error)" : ""))
                .toList();
    }

    @Test
    void aResumedRunMayPauseAgain() {
        ReActAgent agent = agent();
        List<Message> conversation = new ArrayList<>(List.of(Message.user("go")));
        llm.enqueue(Reply.turn(call("w1", "write", "one")));
        Response first = agent.stream(conversation, context, events::add);
        assertEquals(StopReason.AWAITING_APPROVAL, first.stopReason());
        conversation.addAll(first.messages());

        llm.enqueue(Reply.turn(call("w2", "write", "two")));
        Response second = agent.resume(
                conversation, first.pending(), Map.of("w1", ApprovalDecision.deny("")), context, events::add);
        assertEquals(StopReason.AWAITING_APPROVAL, second.stopReason());
        assertEquals(List.of("w1=The user denied this write call. (error)"), lastToolResults());
        assertEquals("w2", second.pending().waiting().getFirst().id());
        assertTrue(second.pending().done().isEmpty());
        conversation.addAll(second.messages());

        llm.enqueue(Reply.text("Done."));
        Response third = agent.resume(
                conversation, second.pending(), Map.of("w2", ApprovalDecision.approve()), context, events::add);
        assertEquals(StopReason.END_TURN, third.stopReason());
        assertEquals(List.of("two"), writes);
        llm.assertAllConsumed();
    }

    @Test
    void thePendingStateSurvivesJsonAndANewAgent() {
        List<Message> conversation = new ArrayList<>(List.of(Message.user("go")));
        Response paused = pauseOnMixedCalls(agent(), conversation);
        conversation.addAll(paused.messages());
        String stored = Json.write(paused.pending().toJson());
        String storedHistory = Json.write(dev.miu.core.message.MessageJson.toJson(conversation));

        PendingApprovals restored = PendingApprovals.fromJson(Json.parseObject(stored));
        assertEquals(paused.pending(), restored);
        List<Message> history = dev.miu.core.message.MessageJson.fromJson(
                Json.parse(storedHistory).asJsonArray());
        llm.enqueue(Reply.text("ok"));
        Response done = agent() // as after a restart
                .resume(
                        history,
                        restored,
                        Map.of("w1", ApprovalDecision.approve(), "w2", ApprovalDecision.approve()),
                        context,
                        events::add);
        assertEquals(StopReason.END_TURN, done.stopReason());
        assertEquals(List.of("one", "two"), writes.stream().sorted().toList());
        assertThrows(
                IllegalArgumentException.class,
                () -> PendingApprovals.fromJson(
                        Json.parseObject("{\"waiting\":[{\"type\":\"text\",\"text\":\"x\"}],\"done\":[]}")));
        assertThrows(IllegalArgumentException.class, () -> PendingApprovals.fromJson(Json.parseObject("{}")));
        llm.assertAllConsumed();
    }

    @Test
    void unknownAndMissingDecisionsAreClearErrorsAndRunNothing() {
        ReActAgent agent = agent();
        List<Message> conversation = new ArrayList<>(List.of(Message.user("go")));
        Response paused = pauseOnMixedCalls(agent, conversation);
        conversation.addAll(paused.messages());
        int calls = llm.requestCount();

        var unknown = assertThrows(
                IllegalArgumentException.class,
                () -> agent.resume(
                        conversation,
                        paused.pending(),
                        Map.of(
                                "w1", ApprovalDecision.approve(),
                                "w2", ApprovalDecision.approve(),
                                "r1", ApprovalDecision.approve()),
                        context,
                        events::add));
        assertEquals(
                "A decision names tool call 'r1', which does not wait for approval (waiting: w1, w2)",
                unknown.getMessage());
        var missing = assertThrows(
                IllegalArgumentException.class,
                () -> agent.resume(
                        conversation,
                        paused.pending(),
                        Map.of("w1", ApprovalDecision.approve()),
                        context,
                        events::add));
        assertEquals("No decision for tool call 'w2' (write), which waits for approval", missing.getMessage());
        var wrongHistory = assertThrows(
                IllegalArgumentException.class,
                () -> agent.resume(
                        List.of(Message.user("go")),
                        paused.pending(),
                        Map.of("w1", ApprovalDecision.approve(), "w2", ApprovalDecision.approve()),
                        context,
                        events::add));
        assertTrue(
                wrongHistory.getMessage().contains("must end with the assistant message"), wrongHistory.getMessage());
        assertTrue(writes.isEmpty());
        assertEquals(calls, llm.requestCount());
    }

    @Test
    void withoutAPolicyEveryCallRunsAsBefore() {
        llm.enqueue(Reply.turn(call("w1", "write", "one")), Reply.text("ok"));
        Response r = new ReActAgent(AgentConfig.of("t", "anthropic:test-model"), provider, agent().tools())
                .run(List.of(Message.user("go")), context);
        assertEquals(StopReason.END_TURN, r.stopReason());
        assertEquals(PendingApprovals.NONE, r.pending());
        assertEquals(List.of("one"), writes);
    }
}
