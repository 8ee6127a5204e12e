package dev.miu.cli;

import dev.miu.core.json.Json;
import dev.miu.testing.ChildEnvironment;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import dev.miu.testing.TempDirs;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code miu mcp} as an MCP host starts it: stdin carries the client's lines, stdout only protocol messages (a
 * failing MCP server of its own is reported on stderr), and the end of stdin ends it with exit code 0. Broken input
 * gets JSON-RPC errors, not a crash.
 */
@Timeout(90)
class McpCommandTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    @Test
    void stdoutCarriesOnlyProtocolMessagesAndEndOfInputEndsIt() throws Exception {
        Path dir = TempDirs.create("miu-mcp-cmd");
        Path mcpConfig = dir.resolve("mcp.json");
        Files.writeString(mcpConfig, "{\"mcpServers\":{\"broken\":{\"command\":\"/nonexistent/miu-test-server\"}}}");
        String input = String.join(
                "\n",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                        + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                "{not json",
                "[{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}]",
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"ask_assistant\","
                        + "\"arguments\":{\"message\":\"Hi\"}}}",
                "");
        scripted.enqueue(Reply.text("Hello from miu."));
        var builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "mcp",
                        "--mcp-config",
                        mcpConfig.toString())
                .directory(dir.toFile());
        ChildEnvironment.removeProviderAndMiuSettings(builder.environment());
        builder.environment().putAll(scripted.environment());
        builder.environment().put("MIU_DATA_DIR", dir.resolve("data").toString());
        builder.environment().put("MIU_MODEL", "anthropic:claude-test");
        Process process = builder.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
        var reader = process.inputReader(StandardCharsets.UTF_8);
        StringBuilder received = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            received.append(line).append('\n');
            if (line.contains("\"id\":5")) {
                process.getOutputStream().close(); // the answer came: end the session as a host does
            }
        }
        String out = received.toString();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "miu mcp did not end with its input");
        String stderr = err.get(10, TimeUnit.SECONDS);
        assertEquals(0, process.exitValue(), stderr);
        assertTrue(stderr.contains("MCP server 'broken' is not available"), stderr);

        List<JsonObject> lines = out.lines().map(Json::parseObject).toList(); // every line is a JSON-RPC message
        assertEquals(
                List.of(1, 2, -1, -1, 4, 5),
                lines.stream().map(l -> l.getInt("id", -1)).toList(),
                out);
        assertEquals(-32600, lines.get(0).getJsonObject("error").getInt("code"), "tools/list before initialize");
        assertEquals("2025-06-18", lines.get(1).getJsonObject("result").getString("protocolVersion"));
        assertEquals(-32700, lines.get(2).getJsonObject("error").getInt("code"));
        assertEquals(-32600, lines.get(3).getJsonObject("error").getInt("code"), "batches are refused");
        assertEquals(
                "ask_assistant",
                lines.get(4)
                        .getJsonObject("result")
                        .getJsonArray("tools")
                        .getJsonObject(0)
                        .getString("name"));
        assertEquals(
                "Hello from miu.",
                lines.get(5)
                        .getJsonObject("result")
                        .getJsonArray("content")
                        .getJsonObject(0)
                        .getString("text"));
    }
}
