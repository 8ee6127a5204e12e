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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An orchestrator hosted as an agent: parallel tasks' events interleave, each run framed; the final task answers. */
@Timeout(30)
class OrchestratorAgentTest {

    @RegisterExtension
    final ScriptedLlmServer server = ScriptedLlmServer.start();

    final List<AgentEvent> events = new CopyOnWriteArrayList<>();

    private Orchestrator report() {
        return Orchestrator.builder("report")
                .agent("facts", TestAgents.scripted(server, "facts", "anthropic:claude-test"))
                .agent("history", TestAgents.scripted(server, "history", "anthropic:claude-test"))
                .agent("writer", TestAgents.scripted(server, "writer", "anthropic:claude-test"))
                .build();
    }

    @Test
    void twoParallelTasksThenAFinalOneEachFramedAndTheFinalAnswers() {
        // the two parallel tasks take the first two replies in whichever order they ask; the writer asks third
        server.enqueue(
                Reply.text("Lisbon has seven hills"),
                Reply.text("Lisbon was founded long ago"),
                Reply.text("An article about Lisbon"));
        Agent orchestrator = report().asAgent(message -> List.of(
                Task.of("facts", "facts", "Facts about " + message),
                Task.of("history", "history", "The history of " + message),
                Task.withResults("article", "writer", "Write an article from these notes", "facts", "history")));

        Response response = orchestrator.stream(List.of(Message.user("Lisbon")), ToolContext.current(), events::add);

        List<String> outline = EventLog.outline(events);
        for (String agent : List.of("facts", "history", "writer")) {
            int start = outline.indexOf("start " + agent);
            int end = outline.indexOf("end " + agent + " end_turn");
            assertTrue(start >= 0 && end > start, agent + " is framed: " + outline);
            for (int i = 0; i < outline.size(); i++) {
                if (outline.get(i).startsWith("text " + agent) || outline.get(i).startsWith("usage " + agent)) {
                    assertTrue(i > start && i < end, agent + "'s events lie within its frame: " + outline);
                }
            }
        }
        assertEquals(
                Set.of("Lisbon has seven hills", "Lisbon was founded long ago"),
                Set.of(EventLog.text(events, "facts"), EventLog.text(events, "history")),
                "both parallel tasks' text is in the stream");
        assertTrue(outline.indexOf("start writer") > outline.indexOf("end facts end_turn"), outline.toString());
        assertTrue(outline.indexOf("start writer") > outline.indexOf("end history end_turn"), outline.toString());
        assertEquals("done end_turn", outline.getLast());
        assertEquals(List.of(Message.assistant("An article about Lisbon").withAgent("writer")), response.messages());
        assertEquals(new Usage(30, 15), response.usage());
        assertEquals(new AgentEvent.Done(StopReason.END_TURN, new Usage(30, 15)), events.getLast());
        String writerAsked = server.lastRequest().body();
        assertTrue(
                writerAsked.contains("Lisbon has seven hills") && writerAsked.contains("founded long ago"),
                writerAsked);
    }

    @Test
    void severalFinalTasksAreJoinedUnderTheirIdsAndAFailureIsSaid() {
        server.enqueue(Reply.text("Seven hills"), Reply.status(400, "the model is unavailable"));
        Agent orchestrator = report().asAgent(message -> List.of(
                Task.of("facts", "facts", "Facts about " + message),
                Task.of("history", "history", "History of " + message, "facts")));
        Orchestrator both = Orchestrator.builder("both")
                .agent("facts", TestAgents.java("facts", q -> "Seven hills"))
                .agent("history", TestAgents.java("history", q -> "Founded long ago"))
                .build();

        Response joined = both
                .asAgent(message -> List.of(Task.of("facts", "facts", message), Task.of("history", "history", message)))
                .stream(List.of(Message.user("Lisbon")), ToolContext.current(), e -> {});
        Response failed = orchestrator.stream(List.of(Message.user("Lisbon")), ToolContext.current(), events::add);

        assertEquals("## facts\n\nSeven hills\n\n## history\n\nFounded long ago", joined.text());
        assertEquals("both", joined.messages().getFirst().agent());
        assertEquals(StopReason.END_TURN, joined.stopReason());
        assertEquals(StopReason.ERROR, failed.stopReason());
        assertTrue(failed.text().contains("Orchestrator 'report' did not finish every task:"), failed.text());
        assertTrue(failed.text().contains("- task 'history' failed:"), failed.text());
        assertTrue(
                EventLog.outline(events).contains("end history error"),
                EventLog.outline(events).toString());
    }

    @Test
    void aPlanThatNamesAnUnknownAgentIsRefusedBeforeAnythingRuns() {
        Agent orchestrator = report().asAgent(message -> List.of(Task.of("t", "nobody", message)));

        var e = assertThrows(
                PatternException.class,
                () -> orchestrator.stream(List.of(Message.user("Lisbon")), ToolContext.current(), events::add));

        assertTrue(e.getMessage().contains("unknown agent 'nobody'"), e.getMessage());
        assertEquals(List.of(), events);
    }
}
