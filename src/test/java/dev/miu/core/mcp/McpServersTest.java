package dev.miu.core.mcp;

import dev.miu.core.InheritedEnvironment;
import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolRegistry;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several real servers at once: their tools in a registry, per-server failures, status JSON, clean shutdown. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class McpServersTest {

    @TempDir
    Path workspace;

    @Test
    void startsEveryServerReportsFailuresAndRegistersPrefixedTools() throws Exception {
        Files.writeString(workspace.resolve("notes.txt"), "MCP filesystem says hi\n");
        Map<String, McpServerConfig> configs = new LinkedHashMap<>();
        configs.put("everything", NpmMcpServers.everythingStdio());
        configs.put("fs", NpmMcpServers.filesystem(workspace));
        configs.put("missing", new McpServerConfig.Stdio("/nonexistent/mcp-server", List.of(), Map.of()));
        configs.put(
                "crashing",
                new McpServerConfig.Stdio("sh", List.of("-c", "echo 'fatal: no config' >&2; exit 3"), Map.of()));

        var registry = new ToolRegistry();
        try (McpServers servers = McpServers.start(configs, workspace, McpClient.Options.DEFAULT)) {
            servers.registerInto(registry);
            Map<String, McpServerState> states = new LinkedHashMap<>();
            servers.states().forEach(s -> states.put(s.name(), s));
            assertEquals(List.of("everything", "fs", "missing", "crashing"), List.copyOf(states.keySet()));
            assertEquals(McpServerStatus.CONNECTED, states.get("everything").status());
            assertEquals(McpServerStatus.CONNECTED, states.get("fs").status());
            assertEquals(McpServerStatus.FAILED, states.get("missing").status());
            assertTrue(
                    states.get("missing").error().contains("Cannot start MCP server 'missing'"),
                    states.get("missing").error());
            assertEquals(McpServerStatus.FAILED, states.get("crashing").status());
            assertTrue(
                    states.get("crashing").error().contains("exited with code 3"),
                    states.get("crashing").error());
            assertTrue(
                    states.get("crashing").error().contains("fatal: no config"),
                    states.get("crashing").error());
            assertEquals(2, servers.failures().size());

            // Tools join the registry as SERVER__tool with the server's schema.
            Tool sum = registry.get("everything__get-sum").orElseThrow(() -> new AssertionError(registry.specs()));
            assertTrue(sum.spec().inputSchema().getJsonObject("properties").containsKey("b"));
            assertTrue(registry.tools().stream().allMatch(t -> t.name().matches("[a-zA-Z0-9_-]{1,64}")));

            // The server's readOnlyHint sorts its tools into those that may run without asking and the others.
            List<String> readOnly =
                    servers.readOnlyTools().stream().map(Tool::name).toList();
            List<String> mayChange =
                    servers.toolsThatMayChange().stream().map(Tool::name).toList();
            assertTrue(
                    readOnly.contains("fs__list_directory") && readOnly.contains("fs__read_text_file"),
                    readOnly.toString());
            assertTrue(
                    mayChange.contains("fs__write_file") && mayChange.contains("fs__move_file"), mayChange.toString());
            assertEquals(servers.tools().size(), readOnly.size() + mayChange.size());
            assertTrue(
                    registry.get("fs__list_directory").isPresent(),
                    registry.specs().toString());

            // The registry runs them like any tool.
            ContentBlock.ToolResult result = registry.execute(
                    new ContentBlock.ToolUse(
                            "c1",
                            "everything__get-sum",
                            Json.object().add("a", 2).add("b", 40).build()),
                    ToolContext.current());
            assertFalse(result.isError(), result.content());
            assertTrue(result.content().contains("42"), result.content());

            String readTool = registry.get("fs__read_text_file").isPresent() ? "fs__read_text_file" : "fs__read_file";
            ContentBlock.ToolResult file = registry.execute(
                    new ContentBlock.ToolUse(
                            "c2",
                            readTool,
                            Json.object()
                                    .add("path", workspace.resolve("notes.txt").toString())
                                    .build()),
                    ToolContext.current());
            assertEquals("MCP filesystem says hi\n", file.content());

            // Outside its allowed directory the filesystem server refuses: an error result the model reads.
            ContentBlock.ToolResult denied = registry.execute(
                    new ContentBlock.ToolUse(
                            "c3",
                            readTool,
                            Json.object().add("path", "/etc/hostname").build()),
                    ToolContext.current());
            assertTrue(denied.isError(), denied.content());
            assertTrue(
                    denied.content().toLowerCase().contains("denied")
                            || denied.content().contains("outside"),
                    denied.content());

            // The schema is checked before the server is called.
            ContentBlock.ToolResult invalid = registry.execute(
                    new ContentBlock.ToolUse(
                            "c4",
                            "everything__get-sum",
                            Json.object().add("a", "two").build()),
                    ToolContext.current());
            assertTrue(invalid.isError());
            assertTrue(invalid.content().startsWith("Invalid arguments"), invalid.content());

            JsonObject json = servers.toJson();
            var list = json.getJsonArray("servers");
            assertEquals(4, list.size());
            JsonObject everything = list.getJsonObject(0);
            assertEquals("everything", everything.getString("name"));
            assertEquals("stdio", everything.getString("transport"));
            assertEquals("connected", everything.getString("status"));
            assertEquals(
                    "mcp-servers/everything", everything.getJsonObject("server").getString("name"));
            assertTrue(everything.getJsonArray("tools").stream()
                    .map(JsonObject.class::cast)
                    .anyMatch(t -> t.getString("name").equals("everything__echo")
                            && t.getString("mcpName").equals("echo")
                            && t.getJsonObject("inputSchema").containsKey("properties")));
            JsonObject missing = list.getJsonObject(2);
            assertEquals("failed", missing.getString("status"));
            assertTrue(missing.getString("error").contains("/nonexistent/mcp-server"));
            assertEquals(0, missing.getJsonArray("tools").size());
        }
        assertTrue(registry.isEmpty(), "closing the servers removes their tools: " + registry.specs());
    }

    @Test
    void aChildGetsItsConfiguredEnvironmentButNotMiusSecrets() throws Exception {
        String binary = NpmMcpServers.everythingStdio().command();
        var config = new McpServerConfig.Stdio(binary, List.of("stdio"), Map.of("MIU_MCP_TEST", "visible"));
        String notInherited = System.getenv().keySet().stream()
                .filter(k -> !InheritedEnvironment.MCP_SERVER_NAMES.contains(k))
                .findFirst()
                .orElseThrow();
        try (McpClient client = McpClient.connect("everything", config, null, McpClient.Options.DEFAULT)) {
            JsonObject env = Json.parseObject(
                    client.callTool("get-env", Json.EMPTY_OBJECT).text());
            assertEquals("visible", env.getString("MIU_MCP_TEST"));
            assertEquals(System.getenv("PATH"), env.getString("PATH"));
            assertFalse(env.containsKey(notInherited), notInherited + " leaked into the server's environment");
        }
    }

    @Test
    void closingStopsTheChildProcess() throws Exception {
        var transport = new StdioTransport("everything", NpmMcpServers.everythingStdio());
        McpClient client = McpClient.connect("everything", transport, McpClient.Options.DEFAULT);
        ProcessHandle process = ProcessHandle.of(transport.pid()).orElseThrow();
        List<ProcessHandle> family =
                new java.util.ArrayList<>(process.descendants().toList());
        family.add(process);
        client.close();
        for (ProcessHandle p : family) {
            p.onExit().get(5, TimeUnit.SECONDS);
            assertFalse(p.isAlive());
        }
        assertNotNull(client.closedBecause());
    }

    @Test
    void aServerThatDiesIsShownAsDisconnected() throws Exception {
        try (McpServers servers = McpServers.start(
                Map.of("everything", NpmMcpServers.everythingStdio()), null, McpClient.Options.DEFAULT)) {
            McpClient client = servers.client("everything").orElseThrow();
            long pid = ProcessHandle.current()
                    .descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("mcp-server-everything"))
                    .findFirst()
                    .orElseThrow()
                    .pid();
            ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
            server.destroyForcibly();
            server.onExit().get(5, TimeUnit.SECONDS);
            await("the client sees its server gone")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> client.closedBecause() != null);
            McpServerState state = servers.states().getFirst();
            assertEquals(McpServerStatus.DISCONNECTED, state.status());
            assertTrue(state.tools().isEmpty());
            var e = org.junit.jupiter.api.Assertions.assertThrows(McpException.class, client::ping);
            assertTrue(e.getMessage().contains("not connected"), e.getMessage());
        }
    }
}
