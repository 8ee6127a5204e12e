package dev.miu.code;

import dev.miu.code.approval.ApprovalGate;
import dev.miu.code.approval.ApprovalRequest;
import dev.miu.code.approval.Approver;
import dev.miu.code.approval.Decision;
import dev.miu.code.session.SessionStore;
import dev.miu.config.AgentSettings;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.Response;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
import dev.miu.core.message.StopReason;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.Providers;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The terminal's approvals on the agent's pause and resume: the calls that need no approval run first, the user is
 * asked when the run pauses, and the turn goes on with the answers, as one turn with one Done.
 */
@Timeout(60)
class CodingAgentApprovalTest {

    @TempDir
    Path tmp;

    Path root;

    @RegisterExtension
    final ScriptedLlmServer llm = ScriptedLlmServer.start();

    final List<AgentEvent> events = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("ws"));
        Files.writeString(root.resolve("a.txt"), "alpha\n");
    }

    private CodingAgent agent(Approver approver) {
        var providers = new Providers(llm.settings(), ProviderOptions.DEFAULT);
        return new CodingAgent(
                new AgentSettings(null, null, 10, 1024, null, 100_000),
                providers::create,
                ModelSpec.parse("anthropic:claude-test"),
                Workspace.of(root),
                new ApprovalGate(Mode.NORMAL, approver),
                new SessionStore(tmp.resolve("data")));
    }

    @Test
    void readsRunFirstThenTheUserIsAskedAndTheTurnGoesOnWithTheAnswers() throws Exception {
        llm.enqueue(
                Reply.turn(
                        new Reply.ToolCall("w1", "Write", "{\"file_path\":\"b.txt\",\"content\":\"beta\"}"),
                        new Reply.ToolCall("r1", "Read", "{\"file_path\":\"a.txt\"}"),
                        new Reply.ToolCall("x1", "Bash", "{\"command\":\"touch c.txt\"}")),
                Reply.toolCall("x2", "Bash", "{\"command\":\"touch d.txt\"}"),
                Reply.text("Wrote b.txt and d.txt; no c.txt."));
        List<String> asked = new ArrayList<>();
        List<Decision> answers =
                new ArrayList<>(List.of(new Decision.Allow(), new Decision.Deny("not c"), new Decision.Allow()));
        CodingAgent agent = agent((ApprovalRequest request) -> {
            // by the time the user is asked, the read has run and been reported
            assertTrue(events.stream().anyMatch(e -> e instanceof AgentEvent.ToolResult r && r.id().equals("r1")));
            asked.add(request.summary());
            return answers.removeFirst();
        });

        Response r = agent.send("make files", events::add);

        assertEquals(StopReason.END_TURN, r.stopReason());
        assertEquals("Wrote b.txt and d.txt; no c.txt.", r.text());
        assertEquals(List.of("Write(b.txt)", "Bash(touch c.txt)", "Bash(touch d.txt)"), asked);
        assertTrue(Files.exists(root.resolve("b.txt")) && Files.exists(root.resolve("d.txt")));
        assertFalse(Files.exists(root.resolve("c.txt")));
        assertEquals(3, r.iterations());
        // one Done for the whole turn, with the usage of all its model calls
        List<AgentEvent> dones =
                events.stream().filter(e -> e instanceof AgentEvent.Done).toList();
        assertEquals(List.of(new AgentEvent.Done(StopReason.END_TURN, r.usage())), dones);
        assertEquals(10 + 12 + 10, r.usage().inputTokens(), "the usage of all three model calls");

        // the history holds every result in the model's order, and it is what the session file keeps
        List<Message> history = agent.history();
        assertEquals(
                List.of(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT),
                history.stream().map(Message::role).toList());
        List<ContentBlock.ToolResult> first = history.get(2).content().stream()
                .map(b -> (ContentBlock.ToolResult) b)
                .toList();
        assertEquals(
                List.of("w1", "r1", "x1"),
                first.stream().map(ContentBlock.ToolResult::toolUseId).toList());
        assertTrue(first.get(1).content().contains("alpha"));
        assertEquals("The user denied this Bash call: not c", first.get(2).content());
        assertEquals(history, agent.store().load(agent.sessionId()).messages());
        llm.assertAllConsumed();
    }

    @Test
    void anInterruptedQuestionCancelsTheTurnAndKeepsTheHistoryValid() {
        llm.enqueue(Reply.turn(
                new Reply.ToolCall("r1", "Read", "{\"file_path\":\"a.txt\"}"),
                new Reply.ToolCall("w1", "Write", "{\"file_path\":\"b.txt\",\"content\":\"beta\"}")));
        CodingAgent agent = agent(request -> {
            throw new InterruptedException("Ctrl+C");
        });

        Response r = agent.send("write", events::add);

        assertEquals(StopReason.CANCELLED, r.stopReason());
        assertFalse(Files.exists(root.resolve("b.txt")));
        assertEquals(new AgentEvent.Done(StopReason.CANCELLED, r.usage()), events.getLast());
        List<Message> history = agent.history();
        assertEquals(3, history.size());
        List<ContentBlock.ToolResult> results = history.get(2).content().stream()
                .map(b -> (ContentBlock.ToolResult) b)
                .toList();
        assertTrue(results.get(0).content().contains("alpha"), "the read that ran keeps its result");
        assertEquals(new ContentBlock.ToolResult("w1", "Cancelled by the user before it ran", true), results.get(1));
        llm.assertAllConsumed();
    }
}
