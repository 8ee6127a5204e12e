package dev.miu.core.pattern;

import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.Response;
import dev.miu.core.message.Message;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.tool.ToolContext;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pipeline hosted as an agent: stages one after another, each framed; the last answer is the pipeline's. */
@Timeout(30)
class PipelineAgentTest {

    @RegisterExtension
    final ScriptedLlmServer server = ScriptedLlmServer.start();

    final List<AgentEvent> events = new CopyOnWriteArrayList<>();

    private Agent scripted(String name) {
        return TestAgents.scripted(server, name, "anthropic:claude-test");
    }

    @Test
    void theFirstStageSeesTheConversationTheNextOnlyThePreviousAnswer() {
        server.enqueue(
                Reply.text("A draft about the sea").withUsage(10, 4),
                Reply.text("A polished text about the sea").withUsage(12, 5));
        Agent pipeline = new Pipeline(
                        "doc",
                        List.of(
                                Stage.of("draft", scripted("drafter")),
                                Stage.of(
                                        "polish",
                                        scripted("editor"),
                                        (initial, previous) -> "Polish: " + previous.text())),
                        true)
                .asAgent();

        Response response = pipeline.stream(
                List.of(Message.user("Earlier question"), Message.assistant("Earlier answer"), Message.user("The sea")),
                ToolContext.current(),
                events::add);

        assertEquals(
                List.of(
                        "start drafter",
                        "text drafter",
                        "usage drafter",
                        "end drafter end_turn",
                        "start editor",
                        "text editor",
                        "usage editor",
                        "end editor end_turn",
                        "done end_turn"),
                EventLog.outline(events));
        assertEquals(
                List.of(Message.assistant("A polished text about the sea").withAgent("editor")), response.messages());
        assertEquals(new Usage(22, 9), response.usage());
        assertEquals(2, response.iterations());
        String first = server.requests().get(0).body();
        String second = server.requests().get(1).body();
        assertTrue(first.contains("Earlier answer") && first.contains("The sea"), first);
        assertTrue(second.contains("Polish: A draft about the sea"), second);
        assertFalse(second.contains("Earlier answer"), second);
    }

    @Test
    void aFailedStageStopsThePipelineAndTheAnswerSaysWhatFailed() {
        server.enqueue(Reply.text("A draft"), Reply.status(400, "the model is unavailable"));
        Agent pipeline = new Pipeline(
                        "doc",
                        List.of(
                                Stage.of("draft", scripted("drafter")),
                                Stage.of("polish", scripted("editor")),
                                Stage.of("title", scripted("titler"))),
                        true)
                .asAgent();

        Response response = pipeline.stream(List.of(Message.user("The sea")), ToolContext.current(), events::add);

        assertEquals(StopReason.ERROR, response.stopReason());
        assertEquals("doc", response.messages().getFirst().agent());
        String answer = response.text();
        assertTrue(answer.startsWith("Pipeline 'doc' did not run every stage:"), answer);
        assertTrue(answer.contains("stage 'polish' failed:") && answer.contains("the model is unavailable"), answer);
        assertTrue(answer.contains("stage 'title' skipped:"), answer);
        assertEquals(
                List.of(
                        "start drafter",
                        "text drafter",
                        "usage drafter",
                        "end drafter end_turn",
                        "start editor",
                        "end editor error",
                        "done error"),
                EventLog.outline(events));
    }
}
