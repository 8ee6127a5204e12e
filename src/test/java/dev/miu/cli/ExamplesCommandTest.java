package dev.miu.cli;

import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class ExamplesCommandTest {

    @RegisterExtension
    final ScriptedLlmServer server = ScriptedLlmServer.start();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** The real command tree, with the examples command reading {@code env} instead of the process environment. */
    private int miu(Map<String, String> env, String... args) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cli = new CommandLine(new MiuCommand(), new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> type) throws Exception {
                return type == ExamplesCommand.class ? (K) new ExamplesCommand(env) : defaults.create(type);
            }
        });
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void listNamesEveryExample() {
        assertEquals(0, miu(Map.of(), "examples", "list"));
        for (String name : new String[] {"simple-agent", "multi-provider", "tool-usage", "multi-agent"}) {
            assertTrue(out.toString().contains(name), out.toString());
        }
    }

    @Test
    void runRunsTheNamedExampleAgainstTheConfiguredProvider() {
        server.enqueue(Reply.text("Cheap threads."));
        Map<String, String> env =
                Map.of("OPENAI_API_KEY", ScriptedLlmServer.API_KEY, "OPENAI_BASE_URL", server.openAiBaseUrl());

        int code = miu(env, "examples", "run", "simple-agent", "--model", "openai:gpt-test");

        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("Answer: Cheap threads."), out.toString());
        assertEquals("gpt-test", server.lastRequest().json().getString("model"));
        server.assertAllConsumed();
    }

    @Test
    void anUnknownExampleOrAMissingProviderIsAClearError() {
        assertEquals(2, miu(Map.of(), "examples", "run", "nope"));
        assertTrue(
                err.toString().contains("No example named 'nope'; examples: simple-agent, multi-provider"),
                err.toString());

        assertEquals(2, miu(Map.of(), "examples", "run", "simple-agent"));
        assertTrue(err.toString().contains("No model provider configured"), err.toString());
    }

    @Test
    void everyCommandHasHelpAndTheCompletionScriptCoversThem() {
        for (String[] args : new String[][] {
            {"--help"},
            {"examples", "--help"},
            {"examples", "list", "--help"},
            {"examples", "run", "--help"},
            {"completion", "--help"}
        }) {
            assertEquals(0, miu(Map.of(), args), String.join(" ", args));
        }
        assertTrue(out.toString().contains("Usage: miu examples run"), out.toString());
        assertTrue(out.toString().contains("Example to run: simple-agent, multi-provider,"), out.toString());
        assertTrue(out.toString().contains("tool-usage"), out.toString());

        out.getBuffer().setLength(0);
        assertEquals(0, miu(Map.of(), "completion"));
        String script = out.toString();
        assertTrue(script.contains("complete -F _complete_miu"), script.substring(0, Math.min(400, script.length())));
        assertTrue(
                script.contains("examples") && script.contains("multi-agent"), "completes commands and example names");
        assertTrue(script.contains("--model"));
    }

    @Test
    void versionNamesMiuAndJava() {
        assertEquals(0, miu(Map.of(), "--version"));
        assertTrue(out.toString().startsWith("miu "), out.toString());
        assertTrue(out.toString().contains("Java "), out.toString());
    }
}
