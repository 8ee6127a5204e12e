package dev.miu.studio.mcp;

import dev.miu.core.json.Json;
import dev.miu.studio.StudioFixtures;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import dev.miu.testing.TempDirs;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official MCP TypeScript SDK client (1.32) against miu: over stdio to {@code miu mcp} in a process of its own,
 * and over Streamable HTTP to the studio's {@code /mcp} with the API key. Each run lists the tools, calls an agent
 * (with progress), continues its session, cancels a call that hangs and uses the session again.
 */
@ServerTest
@Timeout(180)
class McpSdkClientTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private final URI uri;

    McpSdkClientTest(URI uri) {
        this.uri = uri;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        StudioFixtures.mount(server, McpHttpTest.studio(scripted));
    }

    @Test
    void overStreamableHttp() throws Exception {
        script();
        Path dir = TempDirs.create("miu-mcp-sdk");
        var result = NodeMcpSdk.run(
                dir,
                Map.of("MIU_API_KEY_FOR_TEST", McpHttpTest.KEY),
                "http",
                uri.resolve("/mcp").toString());
        JsonObject out = check(result, "ask_writer");
        assertEquals("2025-11-25", out.getString("protocolVersion"), "the SDK's newest version");
        assertFalse(out.isNull("sessionId"));
    }

    @Test
    void overStdioToMiuMcp() throws Exception {
        script();
        Path dir = TempDirs.create("miu-mcp-sdk");
        Map<String, String> child = new LinkedHashMap<>(scripted.environment());
        child.put("MIU_DATA_DIR", dir.resolve("data").toString());
        child.put("MIU_MODEL", "anthropic:claude-test");
        var result = NodeMcpSdk.run(
                dir,
                Map.of("MIU_CHILD_ENV", Json.write(Json.toJson(child))),
                "stdio",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                dev.miu.cli.Main.class.getName(),
                "mcp");
        check(result, "ask_assistant");
        assertTrue(result.err().contains("miu mcp: serving agents assistant"), result.err());
    }

    private static void script() {
        scripted.enqueue(
                Reply.text("Roses are red."),
                Reply.text("Violets are blue."),
                // the client cancels on the progress that text has started, so the request surely reached the model
                Reply.pingsForeverAfter("Thinking"),
                Reply.text("After."));
    }

    /** What both transports must show: the tools, two answers in one session, a cancelled call, the session free. */
    private static JsonObject check(NodeMcpSdk.Result result, String tool) {
        assertEquals(0, result.exit(), "stdout: " + result.out() + "\nstderr: " + result.err());
        JsonObject out = Json.parseObject(result.out().strip());
        assertEquals("miu", out.getJsonObject("server").getString("name"));
        JsonObject first = out.getJsonArray("tools").getJsonObject(0);
        assertEquals(tool, first.getString("name"));
        assertTrue(first.getJsonObject("annotations").containsKey("readOnlyHint"));
        assertEquals("Roses are red.", text(out.getJsonObject("first")));
        assertFalse(out.getJsonArray("progress").isEmpty(), "progress while the agent worked");
        assertEquals("Violets are blue.", text(out.getJsonObject("second")));
        assertEquals(
                out.getJsonObject("first").getJsonObject("structuredContent").getString("session_id"),
                out.getJsonObject("second").getJsonObject("structuredContent").getString("session_id"));
        assertTrue(out.getString("cancelled").contains("changed my mind"), out.getString("cancelled"));
        assertEquals(
                "After.",
                text(out.getJsonObject("after")),
                out.getJsonObject("after").toString());
        return out;
    }

    private static String text(JsonObject result) {
        return result.getJsonArray("content").getJsonObject(0).getString("text");
    }
}
