package dev.miu.cli;

import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import dev.miu.testing.TempDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class QueryCommandTest {

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    record Run(int exit, String out, String err) {}

    static Run run(Map<String, String> env, String... args) {
        if (!env.containsKey("MIU_DATA_DIR")) { // the coding sessions of -q go there, never to ~/.miu
            env = new HashMap<>(env);
            env.put("MIU_DATA_DIR", TempDirs.create("miu-query-data").toString());
        }
        CommandLine cli = MiuCommandLine.create(env);
        var out = new StringWriter();
        var err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void versionAndHelp() {
        Run version = run(Map.of(), "--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().startsWith("miu "), version.out());
        Run help = run(Map.of(), "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("-q, --query"), help.out());
    }

    @Test
    void withNoProviderItPrintsOneLineNamingWhatToSetAndFails() {
        Run run = run(Map.of("HOME", System.getProperty("user.home")), "-q", "hello");
        assertEquals(2, run.exit());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("ANTHROPIC_API_KEY") && run.err().contains("OPENAI_API_KEY"), run.err());
    }

    @Test
    void streamsTheAnswerFromTheConfiguredModel() {
        llm.reset();
        llm.enqueue(Reply.text("Paris is the capital of France."));
        Map<String, String> env = new HashMap<>(llm.environment());
        env.put("MIU_MODEL", "openai:gpt-test");
        Run run = run(env, "-q", "Capital of France?");
        assertEquals(0, run.exit(), run.err());
        assertEquals("Paris is the capital of France.", run.out().strip());
        assertEquals("gpt-test", llm.lastRequest().json().getString("model"));
        llm.assertAllConsumed();
    }

    @Test
    void modelFlagBeatsTheEnvironmentAndProviderErrorsAreOneLine() {
        llm.reset();
        llm.enqueue(Reply.status(401, "invalid x-api-key"));
        Map<String, String> env = new HashMap<>(llm.environment());
        env.put("MIU_MODEL", "openai:gpt-test");
        Run run = run(env, "--model", "anthropic:claude-test", "-q", "hi");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("invalid x-api-key"), run.err());
        assertEquals("/v1/messages", llm.lastRequest().path());
    }

    @Test
    void unknownProviderIsAClearError() {
        Run run = run(Map.of(), "--model", "mystery:model", "-q", "hi");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("Unknown provider 'mystery'"), run.err());
    }
}
