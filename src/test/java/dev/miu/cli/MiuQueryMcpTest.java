package dev.miu.cli;

import dev.miu.core.mcp.NpmMcpServers;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code miu -q} as a user runs it, in its own JVM with the environment pointing at the scripted model: MCP servers
 * come from app.yaml's {@code mcp} section and from {@code --mcp-config}; one that cannot start is reported on
 * stderr while the agent still uses the other's tools.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MiuQueryMcpTest {

    @RegisterExtension
    final ScriptedLlmServer llm = ScriptedLlmServer.start();

    @TempDir
    Path dir;

    @Test
    void theOneShotAgentUsesMcpToolsAndReportsABrokenServer() throws Exception {
        String everything = NpmMcpServers.require(NpmMcpServers.EVERYTHING);
        Path appYaml = dir.resolve("app.yaml");
        Files.writeString(appYaml, """
                agent:
                  model: anthropic:claude-test
                mcp:
                  mcpServers:
                    everything:
                      command: "%s"
                      args: ["stdio"]
                """.formatted(everything));
        Path mcpJson = dir.resolve("mcp.json");
        Files.writeString(mcpJson, """
                {"mcpServers": {"broken": {"command": "/nonexistent/server", "args": []}}}
                """);

        llm.enqueue(
                Reply.toolCall("toolu_1", "everything__echo", "{\"message\": \"ping from miu\"}"),
                Reply.text("The server echoed: ping from miu"));
        List<String> command = new ArrayList<>(List.of(
                javaBinary(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--config",
                appYaml.toString(),
                "--mcp-config",
                mcpJson.toString(),
                "--mode",
                "auto", // -q cannot ask, so outside tools run only in auto mode
                "-q",
                "Echo 'ping from miu' with your tool"));
        var builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment()
                .keySet()
                .removeIf(k -> k.startsWith("ANTHROPIC_") || k.startsWith("OPENAI_") || k.startsWith("MIU_"));
        builder.environment().putAll(llm.environment());
        builder.environment().put("MIU_DATA_DIR", dir.resolve("data").toString());
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "miu -q did not finish");
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);

        assertEquals(0, process.exitValue(), "stdout: " + stdout + "\nstderr: " + stderr);
        assertTrue(stdout.contains("The server echoed: ping from miu"), stdout);
        assertTrue(
                stderr.contains("miu: MCP server 'broken' is not available: Cannot start MCP server 'broken'"), stderr);
        llm.assertAllConsumed();
        String toolResult = llm.requests().get(1).body();
        assertTrue(toolResult.contains("Echo: ping from miu"), toolResult);
    }

    @Test
    void aMissingMcpConfigFileIsAConfigurationError() throws Exception {
        var builder = new ProcessBuilder(
                        javaBinary(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "--mcp-config",
                        dir.resolve("nope.json").toString(),
                        "-q",
                        "hi")
                .directory(dir.toFile());
        builder.environment().putAll(llm.environment());
        builder.environment().put("MIU_DATA_DIR", dir.resolve("data").toString());
        Path err = dir.resolve("err.txt");
        Process process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile())
                .start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        String stderr = Files.readString(err);
        assertEquals(2, process.exitValue(), stderr);
        assertTrue(stderr.contains("Cannot read MCP config"), stderr);
        assertEquals(0, llm.requestCount(), "no model call before the configuration is valid");
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    }
}
