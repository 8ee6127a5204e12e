package dev.miu.studio.mcp;

import dev.miu.agents.AgentReferences;
import dev.miu.agents.ConfiguredAgents;
import dev.miu.config.AgentDefinition;
import dev.miu.config.AgentsSettings;
import dev.miu.config.MiuConfig;
import dev.miu.config.ServerSettings;
import dev.miu.config.ToolRef;
import dev.miu.core.json.Json;
import dev.miu.core.mcp.McpServers;
import dev.miu.studio.Studio;
import dev.miu.studio.StudioFixtures;
import dev.miu.studio.session.FileSessionRepository;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The studio's Streamable HTTP MCP endpoint spoken to on the wire: the lifecycle and version negotiation, agents as
 * tools, a call answered as JSON and as an SSE stream with progress, a session continued by {@code session_id}, a
 * call that waits for approval, cancellation, and the transport's refusals.
 */
@ServerTest
@Timeout(60)
class McpHttpTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    static final String KEY = "mcp-test-key";
    private static final String MODEL = "anthropic:claude-test";

    private final URI mcp;
    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    McpHttpTest(URI uri) {
        this.base = uri;
        this.mcp = uri.resolve("/mcp");
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        StudioFixtures.mount(server, studio(scripted));
    }

    /** A studio with the bearer key {@link #KEY} hosting {@link #agents()} (default writer), sessions in files. */
    static Studio studio(ScriptedLlmServer scripted) {
        Path data = StudioFixtures.tempDir();
        MiuConfig config = StudioFixtures.config(
                        scripted.settings(), data, new ServerSettings("127.0.0.1", 0, KEY, List.of(), 1024 * 1024))
                .withAgents(new AgentsSettings(List.of(), "writer", data, false));
        var agents = ConfiguredAgents.of(
                agents(),
                config,
                AgentReferences.byName(List.of(), List.of()),
                McpServers.none(),
                null,
                StudioFixtures.FAST_RETRIES);
        return new Studio(config, new FileSessionRepository(data), StudioTools.none(), agents, McpServers.none(), null);
    }

    /** writer only talks; clock reads the time; gated's time reads wait for a person. */
    static List<AgentDefinition> agents() {
        return List.of(
                new AgentDefinition.Model(
                        "writer", "Writes short texts.", null, MODEL, "Write well.", 5, 512, null, List.of()),
                new AgentDefinition.Model(
                        "clock",
                        "Tells the time.",
                        null,
                        MODEL,
                        null,
                        5,
                        512,
                        null,
                        List.of(new ToolRef.Builtin("current_time"))),
                new AgentDefinition.Model(
                        "gated",
                        "Asks first.",
                        null,
                        MODEL,
                        null,
                        5,
                        512,
                        null,
                        List.of(new ToolRef.Builtin("current_time", ToolRef.Approval.ALWAYS))),
                new AgentDefinition.Model(
                        "fixer",
                        "",
                        null,
                        MODEL,
                        null,
                        5,
                        512,
                        null,
                        List.of(new ToolRef.Code(Path.of(System.getProperty("java.io.tmpdir")), "normal"))),
                new AgentDefinition.Pipeline("review", "Fix, then write", null, List.of("fixer", "writer")));
    }

    // --- lifecycle and tools ---

    @Test
    void initializeNegotiatesTheVersionAndListsEachAgentAsATool() throws Exception {
        HttpResponse<String> init = post(null, initialize("2025-06-18"));
        assertEquals(200, init.statusCode(), init.body());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        JsonObject result = Json.parseObject(init.body()).getJsonObject("result");
        assertEquals("2025-06-18", result.getString("protocolVersion"));
        assertEquals("miu", result.getJsonObject("serverInfo").getString("name"));
        assertTrue(result.getJsonObject("capabilities").containsKey("tools"));
        assertEquals(
                202,
                post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                        .statusCode());

        JsonObject unknown =
                Json.parseObject(post(null, initialize("2099-01-01")).body()).getJsonObject("result");
        assertEquals("2025-11-25", unknown.getString("protocolVersion"), "an unknown version gets miu's newest");

        var tools = Json.parseObject(
                        post(session, request(2, "tools/list", "{}")).body())
                .getJsonObject("result")
                .getJsonArray("tools")
                .getValuesAs(JsonObject.class);
        assertEquals(
                List.of("ask_writer", "ask_clock", "ask_gated", "ask_fixer", "ask_review"),
                tools.stream().map(t -> t.getString("name")).toList());
        JsonObject writer = tools.get(0);
        assertTrue(writer.getString("description").startsWith("Writes short texts."));
        assertEquals(
                List.of("message"),
                writer
                        .getJsonObject("inputSchema")
                        .getJsonArray("required")
                        .getValuesAs(jakarta.json.JsonString.class)
                        .stream()
                        .map(jakarta.json.JsonString::getString)
                        .toList());
        assertTrue(writer.getJsonObject("annotations").getBoolean("readOnlyHint"));
        assertFalse(writer.getJsonObject("annotations").getBoolean("destructiveHint"));
        assertTrue(writer.getJsonObject("annotations").getBoolean("openWorldHint"));
        assertNotNull(writer.getJsonObject("outputSchema"));
        assertEquals("Ask writer", writer.getString("title"));

        JsonObject ping =
                Json.parseObject(post(session, request(3, "ping", "{}")).body());
        assertEquals(Json.EMPTY_OBJECT, ping.getJsonObject("result"));
        assertTrue(tools.get(1).getJsonObject("annotations").getBoolean("readOnlyHint"), "built-ins only read");
        JsonObject fixer = tools.get(3);
        assertTrue(fixer.getJsonObject("annotations").getBoolean("destructiveHint"), "coding tools may write");
        assertTrue(fixer.getString("description").startsWith("Ask the miu agent 'fixer'"), "no description given");
        assertTrue(tools.get(4).getJsonObject("annotations").getBoolean("destructiveHint"), "its stage may write");
    }

    @Test
    void anOlderClientGetsItsVersionAndToolsWithoutStructuredOutput() throws Exception {
        HttpResponse<String> init = post(null, initialize("2024-11-05"));
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertEquals(
                "2024-11-05",
                Json.parseObject(init.body()).getJsonObject("result").getString("protocolVersion"));
        JsonObject writer = Json.parseObject(
                        post(session, request(2, "tools/list", "{}")).body())
                .getJsonObject("result")
                .getJsonArray("tools")
                .getJsonObject(0);
        assertFalse(writer.containsKey("outputSchema"));
        assertEquals("Ask writer", writer.getJsonObject("annotations").getString("title"));
        scripted.enqueue(Reply.text("Plain."));
        JsonObject result = callJson(session, 3, "ask_writer", "{\"message\":\"Hi\"}");
        assertFalse(result.containsKey("structuredContent"));
        assertEquals("Plain.", text(result));
        assertTrue(
                result.getJsonArray("content")
                        .getJsonObject(1)
                        .getString("text")
                        .startsWith("session_id: "),
                result.toString());
    }

    @Test
    void aCallAnswersWithTheAgentsTextAndItsSessionIdContinuesTheConversation() throws Exception {
        String session = open();
        scripted.enqueue(Reply.text("Roses are red."), Reply.text("Violets are blue."));
        JsonObject first = callJson(session, 5, "ask_writer", "{\"message\":\"Write a line\"}");
        assertFalse(first.getBoolean("isError"));
        assertEquals(
                "Roses are red.", first.getJsonArray("content").getJsonObject(0).getString("text"));
        String id = first.getJsonObject("structuredContent").getString("session_id");
        assertEquals("end_turn", first.getJsonObject("structuredContent").getString("stop_reason"));
        assertEquals("Write well.", scripted.lastRequest().json().getString("system"), "the agent's instructions");

        JsonObject second =
                callJson(session, 6, "ask_writer", "{\"message\":\"Another\",\"session_id\":\"" + id + "\"}");
        assertEquals(
                "Violets are blue.",
                second.getJsonArray("content").getJsonObject(0).getString("text"));
        assertEquals(3, scripted.lastRequest().json().getJsonArray("messages").size(), "the stored history came along");
        HttpResponse<String> stored = api("GET", "/api/v1/sessions/" + id);
        assertEquals(4, Json.parseObject(stored.body()).getJsonArray("messages").size());
        assertEquals("writer", Json.parseObject(stored.body()).getString("agent"));

        JsonObject wrongAgent = callJson(session, 7, "ask_clock", "{\"message\":\"x\",\"session_id\":\"" + id + "\"}");
        assertTrue(wrongAgent.getBoolean("isError"));
        assertTrue(text(wrongAgent).contains("call ask_writer"), text(wrongAgent));
    }

    @Test
    void aStreamedCallSendsProgressWhileTheAgentWorksThenTheAnswer() throws Exception {
        String session = open();
        scripted.enqueue(Reply.toolCall("t1", "current_time", "{}"), Reply.text("It is noon."));
        HttpResponse<Stream<String>> res = http.send(
                builder(session)
                        .POST(HttpRequest.BodyPublishers.ofString(request(
                                8,
                                "tools/call",
                                "{\"name\":\"ask_clock\",\"arguments\":{\"message\":\"Time?\"},"
                                        + "\"_meta\":{\"progressToken\":\"p-1\"}}")))
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, res.statusCode());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<JsonObject> messages = res.body()
                .filter(l -> l.startsWith("data:"))
                .map(l -> Json.parseObject(l.substring(5).strip()))
                .toList();
        List<JsonObject> progress = messages.stream()
                .filter(m -> "notifications/progress".equals(m.getString("method", "")))
                .map(m -> m.getJsonObject("params"))
                .toList();
        assertTrue(progress.size() >= 2, messages.toString());
        assertTrue(progress.stream().allMatch(p -> p.getString("progressToken").equals("p-1")));
        assertTrue(
                progress.stream().anyMatch(p -> p.getString("message").contains("calls tool current_time")),
                progress.toString());
        assertTrue(progress.getLast().getString("message").contains("writing the answer"), progress.toString());
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i).getInt("progress") > progress.get(i - 1).getInt("progress"), "increasing");
        }
        JsonObject last = messages.getLast();
        assertEquals(8, last.getInt("id"));
        assertEquals(
                "It is noon.",
                last.getJsonObject("result")
                        .getJsonArray("content")
                        .getJsonObject(0)
                        .getString("text"));
    }

    @Test
    void aCallWaitingForApprovalIsReportedWithTheSessionAndDoesNotHang() throws Exception {
        String session = open();
        scripted.enqueue(Reply.toolCall("t1", "current_time", "{}"));
        JsonObject result = callJson(session, 9, "ask_gated", "{\"message\":\"Time?\"}");
        assertTrue(result.getBoolean("isError"));
        String id = result.getJsonObject("structuredContent").getString("session_id");
        assertEquals(
                "awaiting_approval", result.getJsonObject("structuredContent").getString("stop_reason"));
        assertEquals(
                1,
                result.getJsonObject("structuredContent")
                        .getJsonArray("pending_approvals")
                        .size());
        assertTrue(text(result).contains("current_time (approval "), text(result));
        assertTrue(text(result).contains(id), text(result));

        JsonObject again = callJson(session, 10, "ask_gated", "{\"message\":\"And?\",\"session_id\":\"" + id + "\"}");
        assertTrue(again.getBoolean("isError"));
        assertTrue(text(again).contains("wait for approval"), text(again));
    }

    @Test
    void cancelledNotificationStopsTheTurnAndTheCallGetsNoAnswer() throws Exception {
        String session = open();
        scripted.enqueue(Reply.pingsForever(), Reply.text("After."));
        CompletableFuture<List<String>> stream = CompletableFuture.supplyAsync(() -> {
            try {
                return http.send(
                                builder(session)
                                        .POST(HttpRequest.BodyPublishers.ofString(request(
                                                11,
                                                "tools/call",
                                                "{\"name\":\"ask_writer\",\"arguments\":{\"message\":\"Slow\"}}")))
                                        .build(),
                                HttpResponse.BodyHandlers.ofLines())
                        .body()
                        .toList();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String id = awaitSessionWithMessages(1);
        assertEquals(
                202,
                post(
                                session,
                                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
                                        + "\"params\":{\"requestId\":11,\"reason\":\"user stopped it\"}}")
                        .statusCode());
        List<String> lines = stream.get(20, TimeUnit.SECONDS);
        assertTrue(lines.stream().noneMatch(l -> l.contains("\"result\"")), lines.toString());

        JsonObject next = callJson(session, 12, "ask_writer", "{\"message\":\"Now\",\"session_id\":\"" + id + "\"}");
        assertEquals("After.", text(next), "the session is free again");
    }

    // --- transport ---

    @Test
    void theTransportRefusesWhatItCannotServe() throws Exception {
        String session = open();
        assertEquals(400, post(null, request(1, "tools/list", "{}")).statusCode(), "no session header");
        assertEquals(
                404, post("no-such-session", request(1, "tools/list", "{}")).statusCode());
        HttpResponse<String> badVersion = http.send(
                builder(session)
                        .header("MCP-Protocol-Version", "1999-01-01")
                        .POST(HttpRequest.BodyPublishers.ofString(request(1, "ping", "{}")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, badVersion.statusCode());
        assertEquals(400, post(session, "[" + request(1, "ping", "{}") + "]").statusCode(), "batches");
        assertEquals(400, post(session, "{not json").statusCode());
        assertEquals(405, send(session, "GET").statusCode());
        HttpResponse<String> noKey = http.send(
                HttpRequest.newBuilder(mcp)
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(initialize("2025-11-25")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, noKey.statusCode());
        HttpResponse<String> foreign = http.send(
                builder(session)
                        .header("Origin", "https://evil.example")
                        .POST(HttpRequest.BodyPublishers.ofString(request(1, "ping", "{}")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, foreign.statusCode());

        JsonObject unknownTool = Json.parseObject(postJsonOnly(
                        session,
                        request(2, "tools/call", "{\"name\":\"ask_nobody\",\"arguments\":{\"message\":\"x\"}}"))
                .body());
        assertEquals(-32602, unknownTool.getJsonObject("error").getInt("code"));
        assertTrue(unknownTool.getJsonObject("error").getString("message").contains("ask_writer"));
        JsonObject badArgs = callJson(session, 3, "ask_writer", "{\"text\":\"x\"}");
        assertTrue(badArgs.getBoolean("isError"));
        assertTrue(text(badArgs).contains("Unknown argument 'text'"), text(badArgs));
        JsonObject unknownMethod = Json.parseObject(
                post(session, request(4, "resources/list", "{}")).body());
        assertEquals(-32601, unknownMethod.getJsonObject("error").getInt("code"));

        assertEquals(204, send(session, "DELETE").statusCode());
        assertEquals(404, post(session, request(5, "ping", "{}")).statusCode(), "an ended session is gone");
    }

    // --- helpers ---

    private String open() throws Exception {
        HttpResponse<String> init = post(null, initialize("2025-11-25"));
        assertEquals(200, init.statusCode(), init.body());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        return session;
    }

    private static String initialize(String version) {
        return request(
                1,
                "initialize",
                "{\"protocolVersion\":\"" + version
                        + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}");
    }

    private static String request(int id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    /** A tools/call answered as JSON (the request accepts only JSON). */
    private JsonObject callJson(String session, int id, String tool, String arguments) throws Exception {
        HttpResponse<String> res = http.send(
                HttpRequest.newBuilder(mcp)
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json")
                        .header("Authorization", "Bearer " + KEY)
                        .header("Mcp-Session-Id", session)
                        .POST(HttpRequest.BodyPublishers.ofString(request(
                                id, "tools/call", "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode(), res.body());
        JsonObject reply = Json.parseObject(res.body());
        assertEquals(id, reply.getInt("id"));
        return reply.getJsonObject("result");
    }

    private static String text(JsonObject result) {
        return result.getJsonArray("content").getJsonObject(0).getString("text");
    }

    private HttpRequest.Builder builder(String session) {
        var b = HttpRequest.newBuilder(mcp)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + KEY);
        return session == null ? b : b.header("Mcp-Session-Id", session);
    }

    private HttpResponse<String> post(String session, String body) throws Exception {
        return http.send(
                builder(session).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJsonOnly(String session, String body) throws Exception {
        return http.send(
                builder(session)
                        .setHeader("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String session, String method) throws Exception {
        return http.send(
                builder(session)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> api(String method, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Authorization", "Bearer " + KEY)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The id of the newest session once it has stored {@code count} messages (the running call's question). */
    private String awaitSessionWithMessages(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var sessions = Json.parse(api("GET", "/api/v1/sessions").body())
                    .asJsonArray()
                    .getValuesAs(JsonObject.class);
            List<JsonObject> matching = new ArrayList<>();
            for (JsonObject s : sessions) {
                if (s.getInt("message_count", 0) == count && scripted.requestCount() > 0) {
                    matching.add(s);
                }
            }
            if (!matching.isEmpty()) {
                return matching.getFirst().getString("id");
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no running session appeared");
    }
}
