package dev.miu.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code miu serve}'s picocli-free path reads its options exactly as picocli does, and leaves the rest to picocli. */
@Timeout(30)
class ServeFastPathTest {

    private static final Map<String, String> ENV = Map.of("MIU_DATA_DIR", "/tmp/unused");

    @Test
    void parsesPlainServeOptionsAsPicocliDoes() {
        List<List<String>> cases = List.of(
                List.of("serve"),
                List.of("serve", "--port", "0"),
                List.of("serve", "--port=8080", "--host", "0.0.0.0"),
                List.of("serve", "--host=::1", "--port", "65535"),
                List.of("serve", "--port", "08000"),
                List.of("--config", "a.yaml", "serve"),
                List.of("--config=a.yaml", "serve", "--config", "b.yaml"),
                List.of("-m", "openai:x", "serve", "--model", "anthropic:y"),
                List.of("--model=ollama:z", "serve"),
                List.of("serve", "-m", "anthropic:y"),
                List.of("--mcp-config", "m.json", "serve"),
                List.of("serve", "--mcp-config", "m.json", "--config=c.yaml", "-m", "x:y", "--host", ""),
                List.of("--mcp-config", "a", "serve", "--mcp-config", "b"),
                List.of("--agents", "agents", "serve", "--agents=other"),
                List.of("serve", "--agents", "examples/agents"));
        for (List<String> args : cases) {
            String[] argv = args.toArray(String[]::new);
            ServeCommand fast = ServeFastPath.parse(argv, ENV);
            assertNotNull(fast, "fast path takes " + args);
            CommandLine.ParseResult parsed = MiuCommandLine.create(ENV).parseArgs(argv);
            ServeCommand slow = (ServeCommand) parsed.subcommand().commandSpec().userObject();
            assertEquals(describe(slow), describe(fast), "options of " + args);
        }
    }

    @Test
    void leavesEverythingElseToPicocli() {
        List<List<String>> cases = List.of(
                List.of(),
                List.of("--help"),
                List.of("serve", "--help"),
                List.of("serve", "-h"),
                List.of("serve", "-V"),
                List.of("tui"),
                List.of("serve", "extra"),
                List.of("serve", "serve"),
                List.of("serve", "@args.txt"),
                List.of("serve", "--bogus", "x"),
                List.of("serve", "--port"),
                List.of("serve", "--port", "eighty"),
                List.of("serve", "--port=-1"),
                List.of("serve", "--port", "1", "--port", "2"),
                List.of("serve", "--config", "--port"),
                List.of("serve", "-mx:y"),
                List.of("--mode", "auto", "serve"),
                List.of("--host", "h", "serve"),
                List.of("serve", "--mcp-config", "a", "--mcp-config", "b"),
                List.of("serve", "--host", "h", "--", "x"),
                List.of("-q", "hi"),
                List.of("--model", "serve"));
        for (List<String> args : cases) {
            assertNull(ServeFastPath.parse(args.toArray(String[]::new), ENV), "picocli parses " + args);
        }
    }

    @Test
    void reportsFailuresAsPicocliWouldWithTheSameExitCode() {
        ServeCommand serve = ServeFastPath.parse(new String[] {"serve"}, Map.of("MIU_PORT", "eighty"));
        var captured = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = ServeFastPath.run(serve);
        } finally {
            System.setErr(stderr);
        }
        assertEquals(ErrorHandler.CONFIG_ERROR, exit);
        String err = captured.toString(StandardCharsets.UTF_8);
        assertTrue(err.startsWith("miu: ") && err.contains("MIU_PORT must be a number"), err);
    }

    private static String describe(ServeCommand c) {
        return Arrays.asList(
                        c.host,
                        c.port,
                        c.configFile,
                        c.model,
                        c.mcpConfigFile,
                        c.agentsDir,
                        c.parent.model,
                        c.parent.agentsDir,
                        c.parent.configFile,
                        c.parent.mcpConfigFile(),
                        c.parent.environment)
                .toString();
    }
}
