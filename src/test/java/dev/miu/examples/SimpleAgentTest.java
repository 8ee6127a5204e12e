package dev.miu.examples;

import dev.miu.core.ConfigurationException;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class SimpleAgentTest {

    @RegisterExtension
    final ScriptedLlmServer server = ScriptedLlmServer.start();

    @Test
    void streamsTheAnswerAndPrintsUsage() {
        server.enqueue(
                Reply.text("A virtual thread is a lightweight thread. It is cheap because it is not an OS thread.")
                        .withUsage(31, 19));

        var run = ExampleRunner.run(new SimpleAgent(), server.settings(), "anthropic:claude-test");

        assertEquals(0, run.exitCode());
        assertTrue(run.output().contains("Model: anthropic:claude-test"), run.output());
        assertTrue(
                run.output().contains("Answer: A virtual thread is a lightweight thread. It is cheap"), run.output());
        assertTrue(run.output().contains("Tokens: 31 in, 19 out"), run.output());
        var body = server.lastRequest().json();
        assertEquals("You are a concise Java expert.", body.getString("system"));
        assertTrue(server.lastRequest().streaming());
        server.assertAllConsumed();
    }

    @Test
    void withNoProviderItSaysWhatToSet() {
        var e = assertThrows(
                ConfigurationException.class, () -> ExampleRunner.run(new SimpleAgent(), ProviderSettings.NONE, null));
        assertTrue(e.getMessage().contains("ANTHROPIC_API_KEY"), e.getMessage());
    }
}
