package dev.miu.studio;

import dev.miu.config.ServerSettings;
import dev.miu.core.MiuVersion;
import dev.miu.core.json.Json;
import dev.miu.core.mcp.McpClient;
import dev.miu.core.mcp.McpServerConfig;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.mcp.NpmMcpServers;
import dev.miu.core.tracing.RecentTraces;
import dev.miu.core.tracing.Tracing;
import dev.miu.rag.Chunker;
import dev.miu.rag.KnowledgeBase;
import dev.miu.rag.LuceneVectorStore;
import dev.miu.rag.MiniLmEmbedder;
import dev.miu.rag.RagService;
import dev.miu.rag.SearchMode;
import dev.miu.studio.http.ChatSocket;
import dev.miu.studio.session.FileSessionRepository;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps {@code /openapi.json} true: calls every documented operation of a studio (scripted LLM, an agent whose Write
 * waits for approval, a knowledge base, tracing in memory, MCP servers (server-everything from npm, and one that
 * fails to start), an API key) and checks each status and body against the document's
 * schemas, including the errors; and fails when the studio has a route the document does not list.
 */
@ServerTest
@Timeout(120)
class OpenApiContractTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    static final String KEY = "contract-test-key";
    static final long MAX_BODY = 64 * 1024;

    /** Routes that are not API operations, so the document leaves them out, and why. */
    static final Map<String, String> NOT_IN_DOCUMENT = Map.of(
            "GET /",
            "the web UI's page",
            "GET /static/*",
            "the web UI's files",
            "GET /webjars/*",
            "the web UI's and /docs' libraries",
            "GET /docs",
            "Swagger UI, the viewer of this document",
            "GET /openapi.json",
            "the document itself",
            "ANY /v1/*",
            "the OpenAI-shaped 404 and 405 for the rest of /v1",
            RouteWalker.CATCH_ALL,
            "the JSON 404 for every other path");

    private static KnowledgeBase knowledge;
    private static McpServers mcp;
    private static Studio studio;
    /** Tracing as it was before this class turned it on (in memory), so /traces has spans to show. */
    private static Tracing previous;

    private final Checked api;
    private final URI uri;

    OpenApiContractTest(URI uri) {
        this.uri = uri;
        this.api = new Checked(new Api(uri, "Authorization", "Bearer " + KEY), document(uri));
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        var recent = new RecentTraces(20, 100);
        previous = Tracing.install(new Tracing(
                OpenTelemetrySdk.builder()
                        .setTracerProvider(SdkTracerProvider.builder()
                                .addSpanProcessor(recent)
                                .build())
                        .build(),
                false,
                recent));
        Path data = StudioFixtures.tempDir();
        Path workspace = Files.createDirectories(data.resolve("ws"));
        Files.writeString(workspace.resolve("notes.txt"), "old notes");
        knowledge = new KnowledgeBase(
                new MiniLmEmbedder(),
                new LuceneVectorStore(Files.createDirectories(data.resolve("rag"))),
                new Chunker());
        // one MCP server that runs (its tools listed) and one that cannot start (its error shown)
        mcp = McpServers.start(
                Map.of(
                        "everything",
                        NpmMcpServers.everythingStdio(),
                        "broken",
                        new McpServerConfig.Stdio(data.resolve("no-such-server").toString(), List.of(), Map.of())),
                null,
                McpClient.Options.DEFAULT);
        var settings = new ServerSettings("127.0.0.1", 0, KEY, List.of(), MAX_BODY);
        var config = StudioFixtures.config(scripted.settings(), data, settings);
        studio = new Studio(
                // a paused stream waits this long for the decisions
                config.withAgent(config.agent().withApprovalTimeout(Duration.ofSeconds(30))),
                new FileSessionRepository(data),
                StudioTools.none(),
                ApprovalChatTest.agents(scripted, data, workspace),
                mcp,
                new RagService(knowledge, 3, SearchMode.HYBRID));
        StudioFixtures.mount(server, studio);
    }

    @AfterAll
    static void close() {
        Tracing.install(previous);
        if (mcp != null) {
            mcp.close();
        }
        if (knowledge != null) {
            knowledge.close();
        }
    }

    /** The document as the server sends it, without the key. */
    private static OpenApiDocument document(URI uri) {
        Api.Resp r = new Api(uri).get("/openapi.json");
        assertEquals(200, r.status(), r.body());
        assertEquals("application/json", r.header("Content-Type"));
        return new OpenApiDocument(r.json());
    }

    @Test
    void theDocumentIsOpenApi31WithThisBuildsVersionAndReadableWithoutTheKey() {
        JsonObject doc = api.doc().json();
        assertEquals("3.1.0", doc.getString("openapi"));
        assertEquals(MiuVersion.get(), doc.getJsonObject("info").getString("version"));
        assertEquals(
                "bearer",
                doc.getJsonObject("components")
                        .getJsonObject("securitySchemes")
                        .getJsonObject("bearerAuth")
                        .getString("scheme"));
        assertEquals(Set.of(), api.doc().unknownSchemaKeywords(), "schema keywords that JSON Schema does not define");
    }

    @Test
    void docsIsSwaggerUiFromItsWebJarUnderTheStudiosCspWithoutTheKey() {
        var open = new Api(uri);
        Api.Resp page = open.get("/docs");
        assertEquals(200, page.status(), page.body());
        assertEquals("text/html; charset=utf-8", page.header("Content-Type"));
        assertTrue(
                page.header("Content-Security-Policy").contains("script-src 'self';"),
                page.header("Content-Security-Policy"));
        var assets =
                java.util.regex.Pattern.compile("(?:src|href)=\"(/[^\"]+)\"").matcher(page.body());
        int count = 0;
        while (assets.find()) {
            Api.Resp asset = open.get(assets.group(1));
            assertEquals(200, asset.status(), assets.group(1));
            count++;
        }
        assertEquals(3, count, "the stylesheet, the bundle and docs.js: " + page.body());
        assertTrue(open.get("/static/docs.js").body().contains("url: '/openapi.json'"));
    }

    @Test
    void everyRouteOfTheServerIsDocumented() {
        Set<String> documented = api.doc().operations();
        Set<String> missing = new TreeSet<>();
        for (String route : RouteWalker.routes(studio)) {
            // "/sessions/" answers as "/sessions" does
            String canonical = route.endsWith("/") && route.length() > route.indexOf(' ') + 2
                    ? route.substring(0, route.length() - 1)
                    : route;
            if (!documented.contains(canonical) && !NOT_IN_DOCUMENT.containsKey(route)) {
                missing.add(route);
            }
        }
        String ws = "GET " + ChatSocket.PATH_PREFIX + "{session_id}";
        if (!documented.contains(ws)) {
            missing.add(ws);
        }
        assertEquals(
                Set.of(),
                missing,
                "routes that openapi.yaml does not describe (add them, or to NOT_IN_DOCUMENT with why)");
    }

    @Test
    void everyDocumentedOperationAnswersAsDocumented() throws Exception {
        health();
        String id = sessions();
        chat(id);
        approvals();
        server();
        rag();
        openAi();
        mcpServer();
        a2a();
        api.call("DELETE", "/api/v1/sessions/" + id, null, 200);
        api.call("DELETE", "/api/v1/sessions/" + id, null, 404);

        Set<String> uncalled = new TreeSet<>(api.doc().operations());
        uncalled.removeAll(api.doc().called());
        assertEquals(Set.of(), uncalled, "documented operations this test never called");
    }

    private void health() {
        var open = new Checked(new Api(uri), api.doc()); // probes carry no key
        open.call("GET", "/api/v1/health", null, 200);
        open.call("HEAD", "/api/v1/health", null, 200);
        open.call("GET", "/api/v1/ready", null, 200);
        open.call("HEAD", "/api/v1/ready", null, 200);
        Api.Resp refused = open.call("GET", "/api/v1/info", null, 401);
        assertEquals("Bearer", refused.header("WWW-Authenticate"));
    }

    private String sessions() {
        String id = api.call("POST", "/api/v1/sessions", "{}", 201).json().getString("id");
        api.call("POST", "/api/v1/sessions", "{\"name\":\"Named\",\"agent\":\"coder\",\"system_prompt\":null}", 201);
        api.call("POST", "/api/v1/sessions", "{\"agent\":\"nobody\"}", 422);
        api.call("POST", "/api/v1/sessions", "{not json", 400);
        api.call("POST", "/api/v1/sessions", "{\"name\":\"" + "x".repeat((int) MAX_BODY) + "\"}", 413);
        api.call("GET", "/api/v1/sessions", null, 200);
        JsonObject page = api.call("GET", "/api/v1/sessions?limit=1", null, 200).json();
        api.call("GET", "/api/v1/sessions?cursor=" + page.getString("next_cursor") + "&agent=coder&q=Named", null, 200);
        api.call("GET", "/api/v1/sessions?limit=many", null, 400);
        api.call("GET", "/api/v1/sessions/" + id, null, 200);
        api.call("GET", "/api/v1/sessions/not-a-uuid", null, 400);
        api.call("GET", "/api/v1/sessions/00000000-0000-4000-8000-000000000000", null, 404);
        api.call("PATCH", "/api/v1/sessions/" + id, "{\"name\":\"Renamed\",\"model\":\"anthropic:claude-test\"}", 200);
        api.call("PATCH", "/api/v1/sessions/" + id, "{\"name\":3}", 422);
        return id;
    }

    private void chat(String id) {
        scripted.enqueue(Reply.text("Hello there"));
        api.call("POST", "/api/v1/chat/invoke", body(id, "Hi"), 200);
        api.call("POST", "/api/v1/chat/invoke", "{\"session_id\":\"" + id + "\"}", 400);
        api.call("POST", "/api/v1/chat/invoke", body("00000000-0000-4000-8000-000000000000", "Hi"), 404);

        scripted.enqueue(
                Reply.turn(new Reply.ToolCall("r1", "Read", "{\"file_path\":\"notes.txt\"}")),
                Reply.text("The notes say: old notes"));
        Api.SseResult stream = api.stream("/api/v1/chat/stream", body(id, "Read the notes"), null);
        assertTrue(
                stream.types().containsAll(List.of("tool_call", "tool_result", "usage", "chunk", "done")),
                stream.types().toString());

        scripted.enqueue(Reply.text("Over the socket"));
        List<JsonObject> sent =
                List.of(Json.object().add("message", "Hi socket").build());
        List<JsonObject> received = new ArrayList<>();
        try (WsClient ws = WsClient.connect(uri, ChatSocket.PATH_PREFIX + id, "Authorization", "Bearer " + KEY)) {
            ws.send(Json.write(sent.getFirst()));
            JsonObject event;
            do {
                event = ws.next();
                received.add(event);
            } while (!Set.of("done", "error").contains(event.getString("type")));
        }
        assertEquals("done", received.getLast().getString("type"), received.toString());
        api.doc().checkSocket(ChatSocket.PATH_PREFIX + id, sent, received);

        api.call("POST", "/api/v1/sessions/" + id + "/cancel", null, 200);
        api.call("POST", "/api/v1/sessions/not-a-uuid/cancel", null, 400);
    }

    /**
     * Pauses for approval: answered whole and decided one call at a time; denied by a cancel; continued as SSE by
     * the decision; and a stream that waits for the decision and goes on by itself.
     */
    private void approvals() throws Exception {
        String id = api.call("POST", "/api/v1/sessions", "{\"agent\":\"coder\"}", 201)
                .json()
                .getString("id");
        scripted.enqueue(Reply.turn(write("w1", "a.txt"), write("w2", "b.txt")));
        JsonObject paused = api.call("POST", "/api/v1/chat/invoke", body(id, "Write two files"), 200)
                .json();
        assertEquals("awaiting_approval", paused.getString("stop_reason"));
        String first = paused.getJsonArray("pending_approvals").getJsonObject(0).getString("approval_id");
        String second =
                paused.getJsonArray("pending_approvals").getJsonObject(1).getString("approval_id");
        api.call("GET", "/api/v1/sessions/" + id, null, 200);
        api.call("POST", "/api/v1/chat/invoke", body(id, "Anything else?"), 409);
        api.call("POST", approval(id, first), "{\"decision\":\"maybe\"}", 422);
        api.call("POST", approval(id, first), "{\"decision\":\"approve\",\"decided_by\":\"a\\u0000\"}", 422);
        JsonObject recorded = api.call(
                        "POST", approval(id, first), "{\"decision\":\"approve\",\"decided_by\":\"Ada\"}", 200)
                .json();
        assertEquals("recorded", recorded.getString("status"));
        scripted.enqueue(Reply.text("One written, one not"));
        api.call("POST", approval(id, second), "{\"decision\":\"deny\",\"reason\":\"not b\"}", 200);
        api.call("POST", approval(id, second), "{\"decision\":\"approve\"}", 404);
        api.call("GET", "/api/v1/sessions/" + id, null, 200); // approvals_audit now

        scripted.enqueue(Reply.turn(write("w3", "c.txt")), Reply.text("Stopped, as asked"));
        api.call("POST", "/api/v1/chat/invoke", body(id, "Write c"), 200);
        JsonObject denied = api.call("POST", "/api/v1/sessions/" + id + "/cancel", "{\"decided_by\":\"ops\"}", 200)
                .json();
        assertEquals("denied", denied.getString("status"));

        scripted.enqueue(Reply.turn(write("w4", "d.txt")));
        String fourth = api.call("POST", "/api/v1/chat/invoke", body(id, "Write d"), 200)
                .json()
                .getJsonArray("pending_approvals")
                .getJsonObject(0)
                .getString("approval_id");
        scripted.enqueue(Reply.text("d is written"));
        api.stream(approval(id, fourth), "{\"decision\":\"approve\"}", "text/event-stream");

        // a stream that pauses waits for the decision (agent.approval-timeout), then goes on by itself
        scripted.enqueue(Reply.turn(write("w5", "e.txt")));
        CompletableFuture<Api.SseResult> waiting =
                CompletableFuture.supplyAsync(() -> api.stream("/api/v1/chat/stream", body(id, "Write e"), null));
        String fifth = awaitPending(id);
        scripted.enqueue(Reply.text("e is written"));
        JsonObject continuing = api.call(
                        "POST", approval(id, fifth), "{\"decision\":\"approve\",\"remember\":true}", 200)
                .json();
        assertEquals("continuing", continuing.getString("status"));
        assertEquals(
                "end_turn", waiting.get(60, TimeUnit.SECONDS).events().getLast().getString("stop_reason"));
    }

    /** The approval id of the call that waits on session {@code id}, once one does. */
    private String awaitPending(String id) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            var pending = api.http().get("/api/v1/sessions/" + id).json().getJsonArray("pending_approvals");
            if (!pending.isEmpty()) {
                return pending.getJsonObject(0).getString("approval_id");
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no call waits on " + id);
    }

    private void server() {
        api.call("GET", "/api/v1/info", null, 200);
        api.call("GET", "/api/v1/agents", null, 200);
        api.call("GET", "/api/v1/agents/coder", null, 200);
        api.call("GET", "/api/v1/agents/nobody", null, 404);
        JsonObject servers = api.call("GET", "/api/v1/mcp/servers", null, 200).json();
        assertEquals(2, servers.getJsonArray("servers").size(), servers.toString());
        JsonObject traces = api.call("GET", "/api/v1/traces", null, 200).json();
        assertTrue(
                traces.getBoolean("enabled") && !traces.getJsonArray("traces").isEmpty(), traces.toString());
        Tracing on = Tracing.install(previous);
        try {
            assertFalse(api.call("GET", "/api/v1/traces", null, 200).json().getBoolean("enabled"));
        } finally {
            Tracing.install(on);
        }
        api.call("GET", "/api/v1/traces?session_id=not-a-uuid", null, 400);
    }

    private void rag() {
        String docs = "{\"documents\":[{\"id\":\"guide\",\"text\":\"miu serves an OpenAPI document at /openapi.json\","
                + "\"metadata\":{\"topic\":\"api\",\"year\":2026}},{\"text\":\"Sessions are kept on the server\"}]}";
        api.call("POST", "/api/v1/rag/manual/documents", docs, 200);
        api.call("POST", "/api/v1/rag/manual/documents", "{\"documents\":[]}", 400);
        api.call("GET", "/api/v1/rag/manual/search?q=openapi&k=2&mode=hybrid&filter.topic=api", null, 200);
        api.call("GET", "/api/v1/rag/manual/search", null, 400);
        api.call("GET", "/api/v1/rag/nothing/search?q=openapi", null, 404);
    }

    /** The OpenAI-compatible API: its models, a completion answered whole and streamed, its errors. */
    private void openAi() {
        new Checked(new Api(uri), api.doc()).call("GET", "/v1/models", null, 401);
        api.call("GET", "/v1/models", null, 200);
        api.call("GET", "/v1/models/coder", null, 200);
        api.call("GET", "/v1/models/nobody", null, 404);
        scripted.enqueue(Reply.text("Hello from coder"));
        String ask = "{\"model\":\"coder\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}],"
                + "\"max_tokens\":100,\"temperature\":0.2,\"user\":\"ignored\"}";
        api.call("POST", "/v1/chat/completions", ask, 200);
        api.call(
                "POST",
                "/v1/chat/completions",
                "{\"model\":\"nobody\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                404);
        api.call("POST", "/v1/chat/completions", "{\"model\":\"coder\"}", 400);
        scripted.enqueue(Reply.text("Streamed hello"));
        api.openAiStream(
                "/v1/chat/completions",
                "{\"model\":\"coder\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    /** The MCP server over Streamable HTTP: a session's initialize, a notification, tools/list, its end; errors. */
    private void mcpServer() {
        String accept = "application/json, text/event-stream";
        var mcp = new Checked(api.http().withHeaders("Authorization", "Bearer " + KEY, "Accept", accept), api.doc());
        Api.Resp init = mcp.call(
                "POST",
                "/mcp",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                        + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"contract\",\"version\":\"1\"}}}",
                200);
        String session = init.header("Mcp-Session-Id");
        var inSession = new Checked(
                api.http().withHeaders("Authorization", "Bearer " + KEY, "Accept", accept, "Mcp-Session-Id", session),
                api.doc());
        inSession.call("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", 202);
        JsonObject tools = inSession
                .call("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}", 200)
                .json();
        assertTrue(tools.getJsonObject("result").toString().contains("ask_coder"), tools.toString());
        mcp.call("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}", 400);
        new Checked(api.http().withHeaders("Authorization", "Bearer " + KEY, "Accept", "text/html"), api.doc())
                .call("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}", 406);
        mcp.call("GET", "/mcp", null, 405);
        inSession.call("DELETE", "/mcp", null, 204);
        inSession.call("DELETE", "/mcp", null, 404);
    }

    /** The A2A server: an agent's card, and a JSON-RPC call answered with a JSON-RPC error. */
    private void a2a() {
        JsonObject card = api.call("GET", "/a2a/coder/.well-known/agent-card.json", null, 200)
                .json();
        assertEquals("coder", card.getString("name"));
        api.call("GET", "/a2a/nobody/.well-known/agent-card.json", null, 404);
        JsonObject unknown = api.call(
                        "POST",
                        "/a2a/coder",
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\",\"params\":{\"id\":\"no-such-task\"}}",
                        200)
                .json();
        assertTrue(unknown.containsKey("error"), unknown.toString());
    }

    private static String approval(String id, String approvalId) {
        return "/api/v1/sessions/" + id + "/approvals/" + approvalId;
    }

    private static Reply.ToolCall write(String id, String file) {
        return new Reply.ToolCall(
                id,
                "Write",
                Json.write(Json.object()
                        .add("file_path", file)
                        .add("content", "text of " + file)
                        .build()));
    }

    private static String body(String id, String message) {
        return Json.write(
                Json.object().add("session_id", id).add("message", message).build());
    }

    /** The API client with every answer checked against the document; a 2xx request's body is checked too. */
    record Checked(Api http, OpenApiDocument doc) {

        /** POSTs to an OpenAI-style stream: JSON {@code data:} frames, checked, then {@code data: [DONE]}. */
        void openAiStream(String path, String body) {
            try {
                var request = java.net.http.HttpRequest.newBuilder(http.base().resolve(path))
                        .header("Authorization", "Bearer " + KEY)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                        .build();
                var r = java.net.http.HttpClient.newHttpClient()
                        .send(request, java.net.http.HttpResponse.BodyHandlers.ofLines());
                List<String> data;
                try (var lines = r.body()) {
                    data = lines.filter(l -> l.startsWith("data:"))
                            .map(l -> l.substring(5).strip())
                            .toList();
                }
                assertEquals(200, r.statusCode());
                assertEquals("[DONE]", data.getLast(), data.toString());
                List<JsonObject> events = data.subList(0, data.size() - 1).stream()
                        .map(Json::parseObject)
                        .toList();
                assertTrue(events.getLast().containsKey("usage"), events.toString());
                doc.checkEvents(
                        "POST",
                        path,
                        200,
                        r.headers().firstValue("Content-Type").orElse(null),
                        events);
                doc.checkRequest("POST", path, body);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        Api.Resp call(String method, String pathAndQuery, String body, int expected) {
            Api.Resp r = http.send(method, pathAndQuery, body);
            assertEquals(expected, r.status(), method + " " + pathAndQuery + ": " + r.body());
            String path = pathAndQuery.split("\\?")[0];
            doc.checkResponse(method, path, r.status(), r.header("Content-Type"), r.body());
            if (body != null && expected / 100 == 2) {
                doc.checkRequest(method, path, body);
            }
            return r;
        }

        /** POSTs {@code body} and reads the answer as SSE (with {@code accept}, when given); checks every event. */
        Api.SseResult stream(String path, String body, String accept) {
            Api client = accept == null ? http : http.withHeaders("Authorization", "Bearer " + KEY, "Accept", accept);
            Api.SseResult r = client.stream(path, body);
            assertEquals(200, r.status(), r.lines().toString());
            doc.checkEvents(
                    "POST", path, 200, r.headers().firstValue("Content-Type").orElse(null), r.events());
            doc.checkRequest("POST", path, body);
            assertEquals(
                    "done", r.events().getLast().getString("type"), r.events().toString());
            return r;
        }
    }
}
