package dev.miu.studio;

import dev.miu.core.mcp.McpClient;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.mcp.NpmMcpServers;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.studio.session.FileSessionRepository;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The studio with a real MCP server (server-everything over stdio): the servers endpoint, and a chat that calls its tool. */
@Timeout(90)
class StudioMcpTest {

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    static McpServers mcp;
    static WebServer server;
    static Api api;

    @BeforeAll
    static void start() throws Exception {
        mcp = McpServers.start(Map.of("everything", NpmMcpServers.everythingStdio()), null, McpClient.Options.DEFAULT);
        Path data = StudioFixtures.tempDir();
        ProviderSettings providers = llm.settings();
        var studio = new Studio(
                StudioFixtures.config(providers, data, StudioFixtures.server()),
                new FileSessionRepository(data),
                StudioTools.none(),
                StudioFixtures.FAST_RETRIES,
                mcp);
        server = StudioServer.start(studio);
        api = new Api(java.net.URI.create("http://127.0.0.1:" + server.port()));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
        if (mcp != null) mcp.close();
    }

    @Test
    void listsServersWithStatusAndTools() {
        Api.Resp r = api.get("/api/v1/mcp/servers");
        assertEquals(200, r.status());
        String body = r.body();
        assertTrue(body.contains("everything"), body);
        assertTrue(body.contains("everything__get-sum") || body.contains("get-sum"), body);
    }

    @Test
    void aStudioChatCallsTheMcpTool() {
        JsonObject session = api.post("/api/v1/sessions", "{\"model\":\"anthropic:claude-test\"}")
                .json();
        llm.enqueue(
                Reply.toolCall("toolu_1", "everything__get-sum", "{\"a\":2,\"b\":40}"), Reply.text("The sum is 42."));
        Api.Resp r = api.post(
                "/api/v1/chat/invoke",
                "{\"session_id\":\"" + session.getString("id") + "\",\"message\":\"Add 2 and 40\"}");
        assertEquals(200, r.status(), r.body());
        assertEquals("The sum is 42.", r.json().getString("response"));
        String toolResult = llm.lastRequest()
                .json()
                .getJsonArray("messages")
                .getJsonObject(2)
                .getJsonArray("content")
                .getJsonObject(0)
                .getString("content");
        assertTrue(toolResult.contains("42"), toolResult);
        llm.assertAllConsumed();
    }
}
