package dev.miu.studio.mcp;

import dev.miu.agents.AgentReferences;
import dev.miu.agents.ConfiguredAgents;
import dev.miu.config.AgentDefinition;
import dev.miu.config.AgentsSettings;
import dev.miu.config.MiuConfig;
import dev.miu.config.ToolRef;
import dev.miu.core.agent.Response;
import dev.miu.core.json.Json;
import dev.miu.core.mcp.McpClient;
import dev.miu.core.mcp.McpServerConfig;
import dev.miu.core.mcp.McpServerState;
import dev.miu.core.mcp.McpServerStatus;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.mcp.McpTool;
import dev.miu.core.mcp.McpToolResult;
import dev.miu.studio.StudioFixtures;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import dev.miu.testing.TempDirs;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * miu's own MCP client against miu's MCP server: {@code core.mcp.McpClient} over stdio to {@code miu mcp --agents}
 * in a process of its own, and a miu agent whose tools are another miu's agents, reached over Streamable HTTP.
 */
@ServerTest
@Timeout(120)
class MiuAsMcpClientTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private static final String MODEL = "anthropic:claude-test";

    private final URI uri;

    MiuAsMcpClientTest(URI uri) {
        this.uri = uri;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        StudioFixtures.mount(server, McpHttpTest.studio(scripted));
    }

    @Test
    void miusClientCallsTheAgentsOfMiuMcpOverStdio() throws Exception {
        Path dir = TempDirs.create("miu-mcp-stdio");
        Path agentsDir = Files.createDirectories(dir.resolve("agents"));
        Files.writeString(
                agentsDir.resolve("poet.yaml"),
                "description: Writes poems\nmodel: " + MODEL + "\ninstructions: Rhyme.\n");
        Map<String, String> env = new LinkedHashMap<>(scripted.environment());
        env.put("MIU_DATA_DIR", dir.resolve("data").toString());
        var config = new McpServerConfig.Stdio(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        dev.miu.cli.Main.class.getName(),
                        "mcp",
                        "--agents",
                        agentsDir.toString()),
                env);
        scripted.enqueue(Reply.text("A rose, a nose."), Reply.text("Goes, flows."));
        try (McpClient client = McpClient.connect("miu", config, dir, McpClient.Options.DEFAULT)) {
            assertEquals("miu", client.serverInfo().name());
            assertEquals(McpClient.LATEST_PROTOCOL_VERSION, client.serverInfo().protocolVersion());
            List<McpTool> tools = client.listTools();
            assertEquals(
                    List.of("ask_assistant", "ask_poet"),
                    tools.stream().map(McpTool::name).toList());
            assertTrue(tools.get(1).readOnly(), "a poet without tools changes nothing");
            McpToolResult first = client.callTool(
                    "ask_poet", Json.object().add("message", "A poem").build());
            assertFalse(first.isError(), first.text());
            assertTrue(first.text().startsWith("A rose, a nose."), first.text());
            assertEquals("Rhyme.", scripted.lastRequest().json().getString("system"));
            String session = first.structuredContent().getString("session_id");
            McpToolResult second = client.callTool(
                    "ask_poet",
                    Json.object()
                            .add("message", "More")
                            .add("session_id", session)
                            .build());
            assertTrue(second.text().startsWith("Goes, flows."), second.text());
            assertEquals(
                    3, scripted.lastRequest().json().getJsonArray("messages").size());
        }
        assertTrue(Files.isDirectory(dir.resolve("data")), "sessions are stored in MIU_DATA_DIR");
    }

    @Test
    void aMiuAgentUsesAnotherMiusAgentsAsToolsOverHttp() throws Exception {
        Path dir = TempDirs.create("miu-mcp-http");
        var self = new McpServerConfig.Http(uri.resolve("/mcp"), Map.of("Authorization", "Bearer " + McpHttpTest.KEY));
        try (McpServers mcp = McpServers.start(Map.of("studio", self), dir, McpClient.Options.DEFAULT)) {
            assertEquals(
                    List.of(McpServerStatus.CONNECTED),
                    mcp.states().stream().map(McpServerState::status).toList(),
                    mcp.states().toString());
            MiuConfig config = MiuConfig.defaults(dir.resolve("data"))
                    .withProviders(scripted.settings())
                    .withAgents(new AgentsSettings(List.of(), "lead", dir, false));
            var lead = new AgentDefinition.Model(
                    "lead",
                    "Delegates",
                    null,
                    MODEL,
                    "Delegate.",
                    5,
                    512,
                    null,
                    List.of(new ToolRef.Mcp("studio", "ask_writer")));
            var agents = ConfiguredAgents.of(
                    List.of(lead), config, AgentReferences.of(mcp, List.of()), mcp, null, StudioFixtures.FAST_RETRIES);
            scripted.enqueue(
                    Reply.toolCall("c1", "studio__ask_writer", "{\"message\":\"Write a line\"}"),
                    Reply.text("Roses are red."),
                    Reply.text("The writer says: Roses are red."));
            Response response = agents.create("lead", null, null).run("Get me a line");
            assertEquals("The writer says: Roses are red.", response.text());
            var requests = scripted.requests();
            assertEquals("Write well.", requests.get(1).json().getString("system"), "the writer ran in the studio");
            String toolResult = lastToolResult(requests.get(2).json());
            assertTrue(toolResult.contains("Roses are red."), toolResult);
            assertTrue(toolResult.contains("session_id: "), toolResult);
        }
    }

    /** The text of the last tool_result block of an Anthropic request. */
    private static String lastToolResult(JsonObject request) {
        JsonArray messages = request.getJsonArray("messages");
        JsonObject last = messages.getJsonObject(messages.size() - 1);
        String found = null;
        for (JsonObject block : last.getJsonArray("content").getValuesAs(JsonObject.class)) {
            if (block.getString("type").equals("tool_result")) {
                found = block.get("content").toString();
            }
        }
        if (found == null) {
            throw new AssertionError("no tool_result in " + last);
        }
        return found;
    }
}
