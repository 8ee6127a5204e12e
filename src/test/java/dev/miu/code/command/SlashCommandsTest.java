package dev.miu.code.command;

import dev.miu.code.CodingAgent;
import dev.miu.code.Mode;
import dev.miu.code.Workspace;
import dev.miu.code.approval.ApprovalGate;
import dev.miu.code.approval.Decision;
import dev.miu.code.session.SessionStore;
import dev.miu.config.AgentSettings;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The slash commands the REPL and TUI share, and custom commands from .miu/commands. */
@Timeout(30)
class SlashCommandsTest {

    @TempDir
    Path tmp;

    Path root;

    @RegisterExtension
    final ScriptedLlmServer llm = ScriptedLlmServer.start();

    CodingAgent agent;
    SlashCommands commands;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("ws"));
        var providers = new Providers(llm.settings(), ProviderOptions.DEFAULT);
        agent = new CodingAgent(
                new AgentSettings(null, null, 10, 1024, null, 100_000),
                providers::create,
                ModelSpec.parse("anthropic:claude-test"),
                Workspace.of(root),
                new ApprovalGate(Mode.NORMAL, r -> new Decision.Allow()),
                new SessionStore(tmp.resolve("data")));
        commands = new SlashCommands(agent);
    }

    private String show(String line) {
        return assertInstanceOf(CommandResult.Show.class, commands.run(line)).text();
    }

    @Test
    void customCommandsExpandArgumentsAndAppearInHelp() throws Exception {
        Path dir = Files.createDirectories(root.resolve(".miu/commands"));
        Files.writeString(
                dir.resolve("review.md"),
                "---\ndescription: Review a file for bugs\n---\nReview $ARGUMENTS for bugs.\nThen list fixes for $ARGUMENTS.\n");
        Files.writeString(dir.resolve("todo.md"), "Find every TODO in the code.\n");
        Files.writeString(dir.resolve("bad name.md"), "ignored");
        var prompt = assertInstanceOf(CommandResult.Prompt.class, commands.run("/review  src/App.java "));
        assertEquals("Review src/App.java for bugs.\nThen list fixes for src/App.java.", prompt.text());
        assertEquals("Find every TODO in the code.", ((CommandResult.Prompt) commands.run("/todo")).text());
        String help = show("/help");
        assertTrue(help.contains("/review") && help.contains("Review a file for bugs"), help);
        assertTrue(help.contains("/todo") && help.contains("Find every TODO in the code."), help);
        assertFalse(help.contains("bad name"));
        assertTrue(show("/nosuch").startsWith("Unknown command /nosuch"));
    }

    @Test
    void modeCyclesOrSets() {
        assertEquals("Mode: plan (read-only planning)", show("/mode"));
        assertEquals(Mode.PLAN, agent.mode());
        assertEquals("Mode: normal (ask before changes)", show("/mode NORMAL"));
        assertEquals("Unknown mode 'fast'; choose one of normal, plan, auto", show("/mode fast"));
        assertEquals(Mode.NORMAL, agent.mode());
    }

    @Test
    void modelShowsAndSwitchesAndRejectsUnusableSpecs() {
        assertEquals("Model: anthropic:claude-test", show("/model"));
        assertEquals("Model: openai:gpt-test", show("/model openai:gpt-test"));
        assertTrue(show("/model nope:thing").startsWith("Cannot use model 'nope:thing': Unknown provider 'nope'"));
        assertEquals("Model: openai:gpt-test", show("/model"), "a failed switch changes nothing");
        llm.enqueue(Reply.text("from openai"));
        agent.send("hi", e -> {});
        assertEquals("/v1/chat/completions", llm.lastRequest().path());
        assertEquals("gpt-test", llm.lastRequest().json().getString("model"));
    }

    @Test
    void clearSessionsResumeAndExit() {
        llm.enqueue(Reply.text("one"));
        agent.send("first question", e -> {});
        String first = agent.sessionId();
        assertEquals(2, agent.history().size());
        var reset = assertInstanceOf(CommandResult.Reset.class, commands.run("/clear"));
        assertTrue(reset.text().startsWith("Started a new session"));
        assertNotEquals(first, agent.sessionId());
        assertTrue(agent.history().isEmpty());
        String list = show("/sessions");
        assertTrue(list.contains(first) && list.contains("first question") && list.contains("2 msgs"), list);
        var resumed = assertInstanceOf(CommandResult.Reset.class, commands.run("/resume " + first));
        assertEquals("Resumed session " + first + " (2 messages).", resumed.text());
        assertEquals(first, agent.sessionId());
        assertTrue(show("/resume nope").startsWith("No session 'nope'"));
        assertTrue(show("/resume ../../etc").startsWith("Invalid session id"));
        assertInstanceOf(CommandResult.Exit.class, commands.run("/exit"));
        assertFalse(SlashCommands.isCommand("// a comment"));
        assertFalse(SlashCommands.isCommand("/"));
    }
}
