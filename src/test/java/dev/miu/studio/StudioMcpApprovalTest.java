package dev.miu.studio;

import dev.miu.core.json.Json;
import dev.miu.core.mcp.McpClient;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.mcp.NpmMcpServers;
import dev.miu.studio.session.FileSessionRepository;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The defaults with a real MCP server (server-filesystem over stdio): its read-only tools run unasked, its
 * write_file waits; one model message with two writes, one approved and one denied with a reason the model reads.
 */
@Timeout(90)
class StudioMcpApprovalTest {

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    static McpServers mcp;
    static WebServer server;
    static Api api;
    static Path root;

    @BeforeAll
    static void start() throws Exception {
        Path data = StudioFixtures.tempDir();
        root = Files.createDirectories(data.resolve("files")).toRealPath();
        Files.writeString(root.resolve("notes.txt"), "old notes");
        mcp = McpServers.start(Map.of("fs", NpmMcpServers.filesystem(root)), null, McpClient.Options.DEFAULT);
        var config = StudioFixtures.config(llm.settings(), data, StudioFixtures.server());
        var studio = new Studio(
                config.withAgent(config.agent().withApprovalTimeout(java.time.Duration.ZERO)),
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

    private static Reply.ToolCall write(String id, String file, String content) {
        return new Reply.ToolCall(
                id,
                "fs__write_file",
                Json.write(Json.object()
                        .add("path", root.resolve(file).toString())
                        .add("content", content)
                        .build()));
    }

    @Test
    void oneApprovedAndOneDeniedWriteOfOneModelMessage() throws Exception {
        String id = api.post("/api/v1/sessions", "{\"model\":\"anthropic:claude-test\"}")
                .json()
                .getString("id");
        llm.enqueue(Reply.turn(
                new Reply.ToolCall(
                        "r1",
                        "fs__read_text_file",
                        Json.write(Json.object()
                                .add("path", root.resolve("notes.txt").toString())
                                .build())),
                write("w1", "yes.txt", "approved"),
                write("w2", "no.txt", "denied")));
        Api.Resp paused = api.post(
                "/api/v1/chat/invoke", "{\"session_id\":\"" + id + "\",\"message\":\"Read notes, write two files\"}");
        assertEquals(200, paused.status(), paused.body());
        assertEquals("awaiting_approval", paused.json().getString("stop_reason"), paused.body());
        JsonArray pending = paused.json().getJsonArray("pending_approvals");
        assertEquals(
                List.of("w1", "w2"),
                pending.getValuesAs(JsonObject.class).stream()
                        .map(p -> p.getString("tool_call_id"))
                        .toList(),
                "read_text_file is read-only and ran unasked");
        assertFalse(Files.exists(root.resolve("yes.txt")));

        Api.Resp first = api.post(
                "/api/v1/sessions/" + id + "/approvals/"
                        + pending.getJsonObject(0).getString("approval_id"),
                "{\"decision\":\"approve\"}");
        assertEquals("recorded", first.json().getString("status"), first.body());
        llm.enqueue(Reply.text("Wrote one, skipped the other."));
        Api.Resp last = api.post(
                "/api/v1/sessions/" + id + "/approvals/"
                        + pending.getJsonObject(1).getString("approval_id"),
                "{\"decision\":\"deny\",\"reason\":\"not that one\"}");
        assertEquals(200, last.status(), last.body());
        assertEquals("Wrote one, skipped the other.", last.json().getString("response"));

        assertEquals("approved", Files.readString(root.resolve("yes.txt")));
        assertFalse(Files.exists(root.resolve("no.txt")));
        JsonArray messages = llm.lastRequest().json().getJsonArray("messages");
        JsonArray results = messages.getJsonObject(messages.size() - 1).getJsonArray("content");
        assertEquals(3, results.size(), results.toString());
        assertTrue(results.getJsonObject(0).toString().contains("old notes"), results.toString());
        assertFalse(results.getJsonObject(1).getBoolean("is_error", false), results.toString());
        assertTrue(results.getJsonObject(2).getBoolean("is_error", false), results.toString());
        assertTrue(results.getJsonObject(2).toString().contains("not that one"), results.toString());

        JsonArray audit = api.get("/api/v1/sessions/" + id).json().getJsonArray("approvals_audit");
        assertEquals(2, audit.size(), audit.toString());
        llm.assertAllConsumed();
    }
}
