package dev.miu.cli;

import dev.miu.core.json.Json;
import dev.miu.studio.Api;
import dev.miu.studio.WsClient;
import dev.miu.testing.PostgresCluster;
import dev.miu.testing.PostgresServer;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls waiting for approval survive a restart of {@code miu serve} itself: a real process is killed ({@code kill
 * -9}) or stopped ({@code SIGTERM}) between the model's request and the person's decision, and a new one on the same
 * data decides them (over HTTP, as JSON and as SSE, or over the WebSocket) and continues the turn. The agent is a
 * {@code code:} one, whose Write waits; one model message asks for two writes, one approved and one denied.
 */
@Timeout(180)
class ServeApprovalRestartTest {

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    @TempDir
    Path dir;

    @Test
    void aPausedInvokeSurvivesAKillAndIsDecidedOverHttpOnTheRestartedServer() throws Exception {
        pausedInvokeAcrossAKill("", Map.of());
    }

    @Test
    void theSameOnPostgres() throws Exception {
        PostgresCluster cluster = PostgresServer.cluster(); // skips without PostgreSQL, fails under CI
        String database = cluster.createDatabase();
        try {
            pausedInvokeAcrossAKill(
                    "sessions:\n  store: postgres\n",
                    Map.of("MIU_DATABASE_URL", cluster.url(database), "MIU_DATABASE_USER", PostgresServer.USER));
        } finally {
            cluster.dropDatabase(database);
        }
    }

    /**
     * Scenario 1: the turn pauses over {@code /chat/invoke}; SIGKILL; a new serve on the same data and port shows the
     * pending calls; one is approved (JSON: recorded), the other denied with {@code Accept: text/event-stream}, whose
     * response streams the continuation.
     */
    private void pausedInvokeAcrossAKill(String storeYaml, Map<String, String> storeEnv) throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("ws")).toRealPath();
        Path home = home(storeYaml, workspace, "10m");
        Process first = serve(home, storeEnv, 0);
        Process second = null;
        try {
            String url = MiuProcess.awaitUrl(first);
            Api api = new Api(URI.create(url));
            String id = session(api);
            llm.enqueue(Reply.turn(write("w1", "yes.txt", "approved"), write("w2", "no.txt", "denied")));
            Api.Resp paused = api.post("/api/v1/chat/invoke", body(id, "Write two files"));
            assertEquals(200, paused.status(), paused.body());
            assertEquals("awaiting_approval", paused.json().getString("stop_reason"), paused.body());
            List<String> approvals = approvalIds(paused.json().getJsonArray("pending_approvals"), "w1", "w2");

            first.destroyForcibly(); // SIGKILL: no shutdown hook, no checkpoint
            assertTrue(first.waitFor(20, TimeUnit.SECONDS));
            assertEquals(137, first.exitValue());

            second = serve(home, storeEnv, URI.create(url).getPort()); // where clients left it
            assertEquals(url, MiuProcess.awaitUrl(second));
            JsonArray pending = api.get("/api/v1/sessions/" + id).json().getJsonArray("pending_approvals");
            assertEquals(approvals, approvalIds(pending, "w1", "w2"));
            assertTrue(pending.getJsonObject(0).getString("diff").contains("+approved"), pending.toString());
            assertFalse(Files.exists(workspace.resolve("yes.txt")));

            Api.Resp recorded = api.post(decision(id, approvals.get(0)), "{\"decision\":\"approve\"}");
            assertEquals(200, recorded.status(), recorded.body());
            assertEquals("recorded", recorded.json().getString("status"));
            assertEquals(
                    List.of(approvals.get(1)), approvalIds(recorded.json().getJsonArray("pending_approvals"), "w2"));

            llm.enqueue(Reply.text("Wrote one, skipped the other."));
            Api.SseResult stream = api.withHeaders("Accept", "text/event-stream").stream(
                    decision(id, approvals.get(1)), "{\"decision\":\"deny\",\"reason\":\"not that one\"}");
            assertEquals(200, stream.status(), stream.lines().toString());
            assertTrue(
                    stream.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"),
                    stream.headers().toString());
            assertContinuation(stream.events(), "Wrote one, skipped the other.");
            assertDecided(api, id, workspace, "yes.txt", "approved", "no.txt", "not that one", "http");
            llm.assertAllConsumed();
        } finally {
            stop(first);
            stop(second);
        }
    }

    /**
     * Scenario 2: a streamed turn waits for approval (long approval-timeout) when serve gets SIGTERM; the stream
     * ends, the calls stay pending, and on a new serve a WebSocket decides them and gets the continuation.
     */
    @Test
    void aStreamWaitingAtSigtermEndsAndTheNextServerContinuesTheTurnOverTheWebSocket() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("ws")).toRealPath();
        Path home = home("", workspace, "10m");
        Process first = serve(home, Map.of(), 0);
        Process second = null;
        try {
            Api api = new Api(URI.create(MiuProcess.awaitUrl(first)));
            String id = session(api);
            llm.enqueue(Reply.turn(write("w1", "kept.txt", "after the restart"), write("w2", "dropped.txt", "no")));
            List<String> approvals = new ArrayList<>();
            try (LiveStream stream =
                    LiveStream.open(api.base().resolve("/api/v1/chat/stream"), body(id, "Write two"))) {
                approvals.add(stream.until("approval_request").getString("approval_id"));
                approvals.add(stream.until("approval_request").getString("approval_id"));
                // the turn now waits (up to 10 minutes) for its client to decide

                first.destroy(); // SIGTERM: the shutdown hook stops the server and checkpoints the store
                List<JsonObject> rest = stream.awaitEnd(Duration.ofSeconds(30));
                // the turn stopped waiting and said so: done, with the calls still pending; nothing ran
                assertEquals(
                        List.of("done"),
                        rest.stream().map(e -> e.getString("type")).toList(),
                        rest.toString());
                assertEquals("awaiting_approval", rest.getFirst().getString("stop_reason"));
                assertEquals(approvals, approvalIds(rest.getFirst().getJsonArray("pending_approvals"), "w1", "w2"));
            }
            awaitStoppedBySigterm(first);
            assertFalse(Files.exists(workspace.resolve("kept.txt")));

            second = serve(home, Map.of(), 0);
            URI restarted = URI.create(MiuProcess.awaitUrl(second));
            Api next = new Api(restarted);
            JsonObject session = next.get("/api/v1/sessions/" + id).json();
            assertEquals(approvals, approvalIds(session.getJsonArray("pending_approvals"), "w1", "w2"));
            JsonArray messages = session.getJsonArray("messages");
            assertEquals(
                    "assistant", messages.getJsonObject(messages.size() - 1).getString("role"));

            try (WsClient ws = WsClient.connect(restarted, "/api/v1/chat/ws/" + id)) {
                ws.send(approval(approvals.get(0), "approve", ""));
                JsonObject recorded = ws.until("approval_recorded");
                assertEquals(approvals.get(0), recorded.getString("approval_id"));
                assertEquals(List.of(approvals.get(1)), approvalIds(recorded.getJsonArray("pending_approvals"), "w2"));

                llm.enqueue(Reply.text("Kept one file."));
                ws.send(approval(approvals.get(1), "deny", "not after a restart"));
                List<JsonObject> events = new ArrayList<>();
                JsonObject event;
                do {
                    event = ws.next();
                    events.add(event);
                } while (!event.getString("type").equals("done"));
                assertContinuation(events, "Kept one file.");
            }
            assertDecided(
                    next,
                    id,
                    workspace,
                    "kept.txt",
                    "after the restart",
                    "dropped.txt",
                    "not after a restart",
                    "websocket");
            llm.assertAllConsumed();
        } finally {
            stop(first);
            stop(second);
        }
    }

    /**
     * The same over the WebSocket, as the web UI talks: at SIGTERM the waiting turn's socket gets done with the
     * pending calls; on the next server a cancel over a new socket denies them both and the model is told.
     */
    @Test
    void aWebSocketTurnWaitingAtSigtermGetsDoneAndACancelAfterTheRestartDeniesTheCalls() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("ws")).toRealPath();
        Path home = home("", workspace, "10m");
        Process first = serve(home, Map.of(), 0);
        Process second = null;
        try {
            URI uri = URI.create(MiuProcess.awaitUrl(first));
            String id = session(new Api(uri));
            llm.enqueue(Reply.turn(write("w1", "a.txt", "a"), write("w2", "b.txt", "b")));
            List<String> approvals = new ArrayList<>();
            try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + id)) {
                ws.send("{\"message\":\"Write both\"}");
                approvals.add(ws.until("approval_request").getString("approval_id"));
                approvals.add(ws.until("approval_request").getString("approval_id"));

                first.destroy(); // SIGTERM while the turn waits for this socket's decisions
                JsonObject done = ws.next();
                assertEquals("done", done.getString("type"), done.toString());
                assertEquals("awaiting_approval", done.getString("stop_reason"));
                assertEquals(approvals, approvalIds(done.getJsonArray("pending_approvals"), "w1", "w2"));
            }
            awaitStoppedBySigterm(first);

            second = serve(home, Map.of(), 0);
            URI restarted = URI.create(MiuProcess.awaitUrl(second));
            Api next = new Api(restarted);
            assertEquals(
                    approvals,
                    approvalIds(
                            next.get("/api/v1/sessions/" + id).json().getJsonArray("pending_approvals"), "w1", "w2"));
            try (WsClient ws = WsClient.connect(restarted, "/api/v1/chat/ws/" + id)) {
                llm.enqueue(Reply.text("Left both alone."));
                ws.send("{\"type\":\"cancel\"}");
                assertEquals("end_turn", ws.until("done").getString("stop_reason"));
            }
            JsonArray messages = llm.lastRequest().json().getJsonArray("messages");
            JsonArray results = messages.getJsonObject(messages.size() - 1).getJsonArray("content");
            assertEquals(2, results.size(), results.toString());
            results.getValuesAs(JsonObject.class).forEach(r -> {
                assertTrue(r.getBoolean("is_error", false), r.toString());
                assertTrue(r.toString().contains("cancelled by the user"), r.toString());
            });
            assertFalse(Files.exists(workspace.resolve("a.txt")));
            assertFalse(Files.exists(workspace.resolve("b.txt")));
            JsonObject session = next.get("/api/v1/sessions/" + id).json();
            assertTrue(session.getJsonArray("pending_approvals").isEmpty(), session.toString());
            JsonArray audit = session.getJsonArray("approvals_audit");
            assertEquals(2, audit.size(), session.toString());
            audit.getValuesAs(JsonObject.class)
                    .forEach(a -> assertEquals(
                            "cancel",
                            a.getJsonObject("decision")
                                    .getJsonObject("decided_by")
                                    .getString("via"),
                            a.toString()));
            llm.assertAllConsumed();
        } finally {
            stop(first);
            stop(second);
        }
    }

    /** The continuation's events: the approved Write ran, the denied one is an error, the model's answer, done. */
    private static void assertContinuation(List<JsonObject> events, String answer) {
        // the denied call's error result may come before the approved call ran
        Map<String, Boolean> errors = new HashMap<>();
        events.stream()
                .filter(e -> e.getString("type").equals("tool_result"))
                .forEach(e -> errors.put(e.getString("id"), e.getBoolean("is_error")));
        assertEquals(Map.of("w1", false, "w2", true), errors, events.toString());
        StringBuilder text = new StringBuilder();
        events.stream()
                .filter(e -> e.getString("type").equals("chunk"))
                .forEach(e -> text.append(e.getString("content")));
        assertEquals(answer, text.toString());
        JsonObject done = events.getLast();
        assertEquals("done", done.getString("type"), events.toString());
        assertEquals("end_turn", done.getString("stop_reason"), done.toString());
    }

    /**
     * After the last decision: the approved file is written and the denied one is not, the model read the reason,
     * nothing is pending and the audit trail holds both decisions, made {@code via} that way.
     */
    private static void assertDecided(
            Api api,
            String id,
            Path workspace,
            String written,
            String content,
            String denied,
            String reason,
            String via)
            throws IOException {
        assertEquals(content, Files.readString(workspace.resolve(written)));
        assertFalse(Files.exists(workspace.resolve(denied)));
        JsonArray messages = llm.lastRequest().json().getJsonArray("messages");
        JsonArray results = messages.getJsonObject(messages.size() - 1).getJsonArray("content");
        assertEquals(2, results.size(), results.toString());
        assertFalse(results.getJsonObject(0).getBoolean("is_error", false), results.toString());
        assertTrue(results.getJsonObject(1).getBoolean("is_error", false), results.toString());
        assertTrue(results.getJsonObject(1).toString().contains(reason), results.toString());

        JsonObject session = api.get("/api/v1/sessions/" + id).json();
        assertTrue(session.getJsonArray("pending_approvals").isEmpty(), session.toString());
        JsonArray audit = session.getJsonArray("approvals_audit");
        assertEquals(2, audit.size(), audit.toString());
        JsonObject approved = audit.getJsonObject(0);
        assertEquals("w1", approved.getString("tool_call_id"));
        assertEquals("approve", approved.getJsonObject("decision").getString("decision"));
        JsonObject refused = audit.getJsonObject(1);
        assertEquals("w2", refused.getString("tool_call_id"));
        assertEquals("deny", refused.getJsonObject("decision").getString("decision"));
        assertEquals(reason, refused.getJsonObject("decision").getString("reason"));
        assertNotNull(refused.getJsonObject("decision").getString("decided_at"));
        for (JsonObject decided : List.of(approved, refused)) { // decided on the restarted server, and how
            assertEquals(
                    via,
                    decided.getJsonObject("decision")
                            .getJsonObject("decided_by")
                            .getString("via"));
        }
    }

    /** The approval ids of {@code pending}, checking they are for the tool calls {@code toolCallIds} in order. */
    private static List<String> approvalIds(JsonArray pending, String... toolCallIds) {
        assertEquals(
                List.of(toolCallIds),
                pending.getValuesAs(JsonObject.class).stream()
                        .map(p -> p.getString("tool_call_id"))
                        .toList(),
                pending.toString());
        return pending.getValuesAs(JsonObject.class).stream()
                .map(p -> p.getString("approval_id"))
                .toList();
    }

    /** A directory with an app.yaml declaring the {@code coder} agent (Write waits) and, under it, serve's data. */
    private Path home(String storeYaml, Path workspace, String approvalTimeout) throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("app.yaml"), storeYaml + """
                agent:
                  approval-timeout: %s
                agents:
                  - name: coder
                    model: anthropic:claude-test
                    tools:
                      - code:
                          workspace: %s
                          mode: normal
                """.formatted(approvalTimeout, workspace));
        return home;
    }

    private static Process serve(Path home, Map<String, String> storeEnv, int port) throws IOException {
        Map<String, String> env = new HashMap<>(llm.environment());
        env.put("MIU_MODEL", "anthropic:claude-test");
        env.putAll(storeEnv);
        return MiuProcess.serve(home, env, port);
    }

    /** Serve exits as a JVM stopped by SIGTERM does (143); if it hangs, the failure shows where. */
    private static void awaitStoppedBySigterm(Process serve) throws Exception {
        if (!serve.waitFor(30, TimeUnit.SECONDS)) {
            Process jstack = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jstack")
                                    .toString(),
                            String.valueOf(serve.pid()))
                    .redirectErrorStream(true)
                    .start();
            String threads =
                    new String(jstack.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            throw new AssertionError("serve did not stop within 30 s of SIGTERM; its threads:\n" + threads);
        }
        assertEquals(143, serve.exitValue());
    }

    private static void stop(Process process) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static String session(Api api) {
        Api.Resp created = api.post("/api/v1/sessions", "{\"agent\":\"coder\"}");
        assertEquals(201, created.status(), created.body());
        return created.json().getString("id");
    }

    private static Reply.ToolCall write(String id, String file, String content) {
        return new Reply.ToolCall(
                id,
                "Write",
                Json.write(Json.object()
                        .add("file_path", file)
                        .add("content", content)
                        .build()));
    }

    private static String decision(String id, String approvalId) {
        return "/api/v1/sessions/" + id + "/approvals/" + approvalId;
    }

    private static String approval(String approvalId, String decision, String reason) {
        return Json.write(Json.object()
                .add("type", "approval")
                .add("approval_id", approvalId)
                .add("decision", decision)
                .add("reason", reason)
                .build());
    }

    private static String body(String id, String message) {
        return Json.write(
                Json.object().add("session_id", id).add("message", message).build());
    }

    /** An SSE response read as it arrives: its events are taken one by one while the stream is still open. */
    private static final class LiveStream implements AutoCloseable {
        private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
        private final CompletableFuture<Void> ended = new CompletableFuture<>();
        private final Stream<String> lines;

        private LiveStream(Stream<String> lines) {
            this.lines = lines;
            Thread.ofVirtual().start(() -> {
                try (lines) {
                    lines.filter(l -> l.startsWith("data:"))
                            .forEach(l ->
                                    events.add(Json.parseObject(l.substring(5).strip())));
                } catch (RuntimeException e) {
                    // the server went away mid-stream: the stream has ended all the same
                }
                ended.complete(null);
            });
        }

        static LiveStream open(URI uri, String body) throws Exception {
            HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(uri)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, response.statusCode());
            return new LiveStream(response.body());
        }

        /** Takes events until one of {@code type}, returning it; fails after 20 s. */
        JsonObject until(String type) throws InterruptedException {
            while (true) {
                JsonObject event = events.poll(20, TimeUnit.SECONDS);
                assertNotNull(event, "no " + type + " event within 20 s");
                if (event.getString("type").equals(type)) {
                    return event;
                }
            }
        }

        /** Waits for the stream to end and returns the events not taken yet. */
        List<JsonObject> awaitEnd(Duration limit) throws Exception {
            ended.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            List<JsonObject> rest = new ArrayList<>();
            events.drainTo(rest);
            return rest;
        }

        @Override
        public void close() {
            lines.close(); // a stream still open (a failed test) lets go of its connection
        }
    }
}
