package dev.miu.code.command;

import dev.miu.code.CodingAgent;
import dev.miu.code.DeclaredAgents;
import dev.miu.code.Mode;
import dev.miu.code.Workspace;
import dev.miu.code.approval.ApprovalGate;
import dev.miu.code.approval.Decision;
import dev.miu.code.session.SessionStore;
import dev.miu.config.AgentSettings;
import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.Providers;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /agent NAME}: the REPL and TUI hand the conversation to a declared agent and back, history kept. */
@Timeout(30)
class AgentCommandTest {

    @TempDir
    Path tmp;

    @RegisterExtension
    final ScriptedLlmServer llm = ScriptedLlmServer.start();

    /** One declared agent, {@code poet}, on the scripted model. */
    private DeclaredAgents poet(Providers providers) {
        return new DeclaredAgents() {
            @Override
            public List<String> names() {
                return List.of("poet");
            }

            @Override
            public Agent create(String name) {
                if (!name.equals("poet")) {
                    throw new NoSuchElementException(name);
                }
                return new ReActAgent(
                        AgentConfig.of("poet", "anthropic:claude-test").withSystemPrompt("You answer in verse."),
                        providers.create(ModelSpec.parse("anthropic:claude-test")));
            }
        };
    }

    @Test
    void agentSwitchesToADeclaredAgentAndBackKeepingTheConversation() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("ws"));
        var providers = new Providers(llm.settings(), ProviderOptions.DEFAULT);
        var agent = new CodingAgent(
                new AgentSettings(null, null, 10, 1024, null, 100_000),
                providers::create,
                ModelSpec.parse("anthropic:claude-test"),
                Workspace.of(root),
                new ApprovalGate(Mode.NORMAL, r -> new Decision.Allow()),
                new SessionStore(tmp.resolve("data")));
        agent.useDeclaredAgents(poet(providers));
        var commands = new SlashCommands(agent);

        assertEquals(
                "Agent: coding (the coding agent)\nDeclared: poet (/agent coding: back)", show(commands, "/agent"));
        assertEquals("No declared agent 'bard'; declared: poet", show(commands, "/agent bard"));
        assertTrue(show(commands, "/agent poet").startsWith("Agent: poet\n"));
        assertTrue(commands.help().contains("/agent [NAME]"));

        llm.enqueue(Reply.text("Roses are red."), Reply.text("Back to code."));
        agent.send("A poem", e -> {});
        var poetRequest = llm.lastRequest().json();
        assertEquals("You answer in verse.", poetRequest.getString("system"));
        assertFalse(poetRequest.containsKey("tools"), "the declared agent's tools, not the coding tools");

        show(commands, "/agent coding");
        agent.send("Now the code", e -> {});
        var codingRequest = llm.lastRequest().json();
        assertTrue(codingRequest.getString("system").contains(root.toRealPath().toString()), "the coding prompt");
        assertTrue(codingRequest.getJsonArray("messages").toString().contains("Roses are red."), "history kept");
        assertEquals(4, agent.history().size());
        llm.assertAllConsumed();
    }

    private static String show(SlashCommands commands, String line) {
        return assertInstanceOf(CommandResult.Show.class, commands.run(line)).text();
    }
}
