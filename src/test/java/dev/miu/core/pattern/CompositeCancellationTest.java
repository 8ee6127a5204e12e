package dev.miu.core.pattern;

import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.Response;
import dev.miu.core.message.Message;
import dev.miu.core.message.StopReason;
import dev.miu.core.tool.ToolContext;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interrupting a hosted composite stops its running sub-agents and ends it CANCELLED, every frame closed first. */
@Timeout(30)
class CompositeCancellationTest {

    @RegisterExtension
    final ScriptedLlmServer server = ScriptedLlmServer.start();

    final List<AgentEvent> events = new CopyOnWriteArrayList<>();

    private static Reply slow() {
        return Reply.text("a long and slow answer that will never finish streaming in time")
                .withChunkDelay(Duration.ofMillis(300));
    }

    /** Runs {@code agent} on its own thread, interrupts it once {@code speakers} have each streamed some text. */
    private Response cancelOnceSpeaking(Agent agent, Set<String> speakers) throws InterruptedException {
        var speaking = ConcurrentHashMap.<String>newKeySet();
        var allSpeaking = new CountDownLatch(1);
        var result = new AtomicReference<Response>();
        Thread runner = Thread.ofVirtual()
                .start(() -> result.set(agent.stream(List.of(Message.user("Go")), ToolContext.current(), e -> {
                    events.add(e);
                    if (e instanceof AgentEvent.Nested n && n.event() instanceof AgentEvent.TextDelta) {
                        speaking.add(n.agent());
                        if (speaking.containsAll(speakers)) {
                            allSpeaking.countDown();
                        }
                    }
                })));
        assertTrue(allSpeaking.await(10, TimeUnit.SECONDS), "sub-agents started: " + EventLog.outline(events));
        runner.interrupt();
        runner.join(10_000);
        assertFalse(runner.isAlive());
        return result.get();
    }

    @Test
    void cancellingAPipelineStopsTheRunningStageAndSkipsTheRest() throws Exception {
        server.enqueue(slow());
        Agent pipeline = new Pipeline(
                        "doc",
                        List.of(
                                Stage.of("draft", TestAgents.scripted(server, "drafter", "anthropic:claude-test")),
                                Stage.of("polish", TestAgents.scripted(server, "editor", "anthropic:claude-test"))),
                        false)
                .asAgent();

        Response response = cancelOnceSpeaking(pipeline, Set.of("drafter"));

        assertEquals(StopReason.CANCELLED, response.stopReason());
        assertEquals(List.of(), response.messages());
        List<String> outline = EventLog.outline(events);
        assertEquals(List.of("start drafter", "text drafter", "end drafter cancelled", "done cancelled"), outline);
        assertEquals(1, server.requestCount(), "the second stage never ran");
    }

    @Test
    void cancellingAnOrchestratorStopsBothParallelTasksBeforeItsDone() throws Exception {
        server.enqueue(slow(), slow());
        Agent orchestrator = Orchestrator.builder("report")
                .agent("facts", TestAgents.scripted(server, "facts", "anthropic:claude-test"))
                .agent("history", TestAgents.scripted(server, "history", "openai:gpt-test"))
                .agent("writer", TestAgents.scripted(server, "writer", "anthropic:claude-test"))
                .build()
                .asAgent(message -> List.of(
                        Task.of("facts", "facts", message),
                        Task.of("history", "history", message),
                        Task.withResults("article", "writer", "Write", "facts", "history")));

        Response response = cancelOnceSpeaking(orchestrator, Set.of("facts", "history"));

        assertEquals(StopReason.CANCELLED, response.stopReason());
        assertEquals(List.of(), response.messages());
        List<String> outline = EventLog.outline(events);
        assertEquals("done cancelled", outline.getLast());
        assertTrue(outline.contains("end facts cancelled"), outline.toString());
        assertTrue(outline.contains("end history cancelled"), outline.toString());
        assertFalse(outline.contains("start writer"), outline.toString());
        assertEquals(2, server.requestCount(), "the final task never ran");
    }
}
