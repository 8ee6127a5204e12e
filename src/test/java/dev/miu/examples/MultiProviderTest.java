package dev.miu.examples;

import dev.miu.core.ConfigurationException;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.testing.RecordedRequest;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class MultiProviderTest {

    @RegisterExtension
    final ScriptedLlmServer server = ScriptedLlmServer.start();

    @Test
    void asksEveryConfiguredProviderAndSaysWhyItSkipsTheOthers() {
        server.enqueue(
                Reply.text("Golden Gate Bridge, San Francisco."),
                Reply.text("Tower Bridge, London."),
                Reply.text("Ponte 25 de Abril, Lisbon."));

        var run = ExampleRunner.run(new MultiProvider(), server.settings(), null);

        assertEquals(0, run.exitCode(), run.output());
        String out = run.output();
        assertTrue(out.contains("[anthropic:claude-sonnet-4-5] Golden Gate Bridge, San Francisco."), out);
        assertTrue(out.contains("[openai:gpt-4.1-mini] Tower Bridge, London."), out);
        assertTrue(out.contains("[gemini:gemini-2.5-flash] Ponte 25 de Abril, Lisbon."), out);
        assertTrue(out.contains("[ollama] skipped: OLLAMA_HOST is not set"), out);
        assertTrue(out.contains("3 provider(s) asked, 0 failed"), out);
        assertEquals(
                List.of(
                        "/v1/messages",
                        "/v1/chat/completions",
                        "/v1beta/models/gemini-2.5-flash:streamGenerateContent"),
                server.requests().stream().map(RecordedRequest::path).toList());
        server.assertAllConsumed();
    }

    @Test
    void skipsProvidersWithoutKeysAndReportsAFailureHonestly() {
        server.enqueue(Reply.status(401, "invalid x-api-key"));
        var onlyOpenAi =
                new ProviderSettings(null, null, ScriptedLlmServer.API_KEY, server.openAiBaseUrl(), null, null, null);

        var run = ExampleRunner.run(new MultiProvider(), onlyOpenAi, null);

        assertEquals(1, run.exitCode());
        assertTrue(run.output().contains("[anthropic] skipped: ANTHROPIC_API_KEY is not set"), run.output());
        assertTrue(
                run.output().contains("[gemini] skipped: GEMINI_API_KEY (or GOOGLE_API_KEY) is not set"), run.output());
        assertTrue(
                run.output().contains("[openai:gpt-4.1-mini] failed: openai returned HTTP 401: invalid x-api-key"),
                run.output());
        server.assertAllConsumed();
    }

    @Test
    void withNoProviderAtAllItSaysWhatToSet() {
        var e = assertThrows(
                ConfigurationException.class,
                () -> ExampleRunner.run(new MultiProvider(), ProviderSettings.NONE, null));
        assertTrue(e.getMessage().contains("GEMINI_API_KEY"), e.getMessage());
    }
}
