package dev.miu.studio;

import dev.miu.config.DatabaseSettings;
import dev.miu.core.json.Json;
import dev.miu.core.mcp.McpServers;
import dev.miu.studio.session.postgres.PostgresSessionRepository;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.PostgresServer;
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

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two studios on one PostgreSQL behave as one: what one does to a session the other sees at once, a turn running on
 * one makes a turn on the other answer 409, a cancel or an approval decision sent to the other reaches the turn
 * where it runs, and a lease left by a server that died expires.
 */
@Timeout(120)
class ClusterTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    @RegisterExtension
    static final PostgresServer DB = new PostgresServer();

    private static WebServer serverA;
    private static WebServer serverB;
    private static Api a;
    private static Api b;
    private static URI uriB;
    private static Path workspace;

    @BeforeAll
    static void start() throws Exception {
        Path data = StudioFixtures.tempDir();
        workspace = Files.createDirectories(data.resolve("ws"));
        serverA = server(data);
        serverB = server(data);
        a = new Api(URI.create("http://127.0.0.1:" + serverA.port()));
        uriB = URI.create("http://127.0.0.1:" + serverB.port());
        b = new Api(uriB);
    }

    /** A studio of its own (its own pool, leases and listener) on the shared database. */
    private static WebServer server(Path data) {
        var sessions = PostgresSessionRepository.open(
                new DatabaseSettings(DB.url(), PostgresServer.USER, null, 4, Duration.ofSeconds(5)));
        var agents = ApprovalChatTest.agents(scripted, data, workspace);
        var config = StudioFixtures.config(scripted.settings(), data, StudioFixtures.server());
        var studio = new Studio(config, sessions, StudioTools.none(), agents, McpServers.none(), null);
        var builder = WebServer.builder().host("127.0.0.1").port(0);
        StudioFixtures.mount(builder, studio);
        return builder.build().start();
    }

    @AfterAll
    static void stop() {
        serverA.stop();
        serverB.stop();
    }

    private static String session(Api api) {
        return api.post("/api/v1/sessions", "{\"agent\":\"coder\"}").json().getString("id");
    }

    private static String body(String id, String message) {
        return Json.write(
                Json.object().add("session_id", id).add("message", message).build());
    }

    /** Starts an invoke on A that runs until stopped, and waits until its model call is under way. */
    private static CompletableFuture<Api.Resp> endlessInvokeOnA(String id) {
        scripted.enqueue(Reply.pingsForever());
        int before = scripted.requestCount();
        var running = CompletableFuture.supplyAsync(() -> a.post("/api/v1/chat/invoke", body(id, "Go on forever")));
        assertTrue(
                RawHttp.await(() -> scripted.requestCount() > before, Duration.ofSeconds(10)),
                "the model call started");
        return running;
    }

    /** A stream on A whose model asks to write {@code file}: it pauses and waits for a decision; its approval id. */
    private static String pausedStreamOnA(String id, String file, CompletableFuture<Api.SseResult>[] stream) {
        scripted.enqueue(Reply.turn(new Reply.ToolCall(
                "w-" + file,
                "Write",
                Json.write(Json.object()
                        .add("file_path", file)
                        .add("content", "written")
                        .build()))));
        stream[0] = CompletableFuture.supplyAsync(() -> a.stream("/api/v1/chat/stream", body(id, "Write " + file)));
        JsonArray[] pending = new JsonArray[1];
        assertTrue(RawHttp.await(
                () -> !(pending[0] = b.get("/api/v1/sessions/" + id).json().getJsonArray("pending_approvals"))
                        .isEmpty(),
                Duration.ofSeconds(10)));
        return pending[0].getJsonObject(0).getString("approval_id");
    }

    @Test
    void aSessionCreatedRenamedOrDeletedOnOneIsSeenAtOnceOnTheOther() {
        String id = session(a);
        assertEquals(200, b.get("/api/v1/sessions/" + id).status());
        assertTrue(b.get("/api/v1/sessions").body().contains(id));
        assertEquals(
                200,
                a.patch("/api/v1/sessions/" + id, "{\"name\":\"renamed on A\"}").status());
        assertEquals("renamed on A", b.get("/api/v1/sessions/" + id).json().getString("name"));
        assertEquals(200, b.delete("/api/v1/sessions/" + id).status());
        assertEquals(404, a.get("/api/v1/sessions/" + id).status());
    }

    @Test
    void aTurnRunningOnAIs409OnBAndACancelSentToBStopsIt() throws Exception {
        String id = session(a);
        var running = endlessInvokeOnA(id);

        Api.Resp refused = b.post("/api/v1/chat/invoke", body(id, "Me too"));
        assertEquals(409, refused.status(), refused.body());
        assertTrue(refused.detail().contains("another server"), refused.body());

        Api.Resp cancelled = b.post("/api/v1/sessions/" + id + "/cancel", "");
        assertEquals(200, cancelled.status(), cancelled.body());
        assertEquals("stopped", cancelled.json().getString("status"));
        Api.Resp ended = running.get(10, TimeUnit.SECONDS);
        assertEquals("cancelled", ended.json().getString("stop_reason"), ended.body());

        scripted.enqueue(Reply.text("On B now"));
        Api.Resp next = b.post("/api/v1/chat/invoke", body(id, "Hello B"));
        assertEquals(200, next.status(), next.body());
        assertEquals("On B now", next.json().getString("response"));
    }

    @Test
    void aWebSocketCancelSentToBStopsTheTurnOnA() throws Exception {
        String id = session(a);
        var running = endlessInvokeOnA(id);
        try (WsClient ws = WsClient.connect(uriB, "/api/v1/chat/ws/" + id)) {
            ws.send("{\"type\":\"cancel\"}");
            Api.Resp ended = running.get(10, TimeUnit.SECONDS);
            assertEquals("cancelled", ended.json().getString("stop_reason"), ended.body());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anApprovalDecidedOnBContinuesTheTurnWaitingOnA() throws Exception {
        String id = session(a);
        CompletableFuture<Api.SseResult>[] stream = new CompletableFuture[1];
        String approvalId = pausedStreamOnA(id, "across.txt", stream);
        assertFalse(stream[0].isDone(), "A's stream waits for the decision");

        scripted.enqueue(Reply.text("Written across."));
        Api.Resp decided = b.post(
                "/api/v1/sessions/" + id + "/approvals/" + approvalId,
                "{\"decision\":\"approve\",\"decided_by\":\"Ada\"}");
        assertEquals(200, decided.status(), decided.body());
        assertEquals("continuing", decided.json().getString("status"));

        Api.SseResult result = stream[0].get(10, TimeUnit.SECONDS);
        assertEquals(
                1,
                result.types().stream().filter("done"::equals).count(),
                result.types().toString());
        assertEquals("end_turn", result.events().getLast().getString("stop_reason"));
        assertEquals("Written across.", result.text());
        assertEquals("written", Files.readString(workspace.resolve("across.txt")));
        JsonObject by = lastDecidedBy(a, id);
        assertEquals("http", by.getString("via"), by.toString());
        assertEquals("Ada", by.getString("user"), "B recorded who decided");
    }

    @Test
    void aTurnRefusedOnAHoldsNothingTheDecisionOnBNeeds() throws Exception {
        String id = session(a);
        scripted.enqueue(Reply.turn(new Reply.ToolCall(
                "w-refused",
                "Write",
                Json.write(Json.object()
                        .add("file_path", "refused.txt")
                        .add("content", "written")
                        .build()))));
        Api.Resp paused = a.post("/api/v1/chat/invoke", body(id, "Write refused.txt")); // no stream: it ends paused
        assertEquals("awaiting_approval", paused.json().getString("stop_reason"), paused.body());
        String approvalId =
                paused.json().getJsonArray("pending_approvals").getJsonObject(0).getString("approval_id");

        // refused after its first read took the session's lease: the lease goes back
        Api.Resp refused = a.post("/api/v1/chat/invoke", body(id, "And now?"));
        assertEquals(409, refused.status(), refused.body());

        scripted.enqueue(Reply.text("Written on B."));
        Api.Resp decided = b.post("/api/v1/sessions/" + id + "/approvals/" + approvalId, "{\"decision\":\"approve\"}");
        assertEquals(200, decided.status(), decided.body());
        assertEquals("Written on B.", decided.json().getString("response"), decided.body());
        assertEquals("written", Files.readString(workspace.resolve("refused.txt")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCancelSentToBDeniesWhatTheTurnOnAWaitsFor() throws Exception {
        String id = session(a);
        CompletableFuture<Api.SseResult>[] stream = new CompletableFuture[1];
        pausedStreamOnA(id, "never.txt", stream);

        scripted.enqueue(Reply.text("Left it alone."));
        Api.Resp cancelled = b.post("/api/v1/sessions/" + id + "/cancel", "{\"decided_by\":\"ops\"}");
        assertEquals(200, cancelled.status(), cancelled.body());

        Api.SseResult result = stream[0].get(10, TimeUnit.SECONDS);
        assertEquals("end_turn", result.events().getLast().getString("stop_reason"));
        JsonArray messages = scripted.lastRequest().json().getJsonArray("messages");
        assertTrue(
                messages.getJsonObject(messages.size() - 1).toString().contains("cancelled by the user"),
                messages.toString());
        assertFalse(Files.exists(workspace.resolve("never.txt")));
        // B denied the calls, with who asked, and A went on
        JsonObject by = lastDecidedBy(a, id);
        assertEquals("cancel", by.getString("via"), by.toString());
        assertEquals("ops", by.getString("user"), by.toString());
        assertEquals("127.0.0.1", by.getString("client"), by.toString());
    }

    /** The {@code decided_by} of the last entry of the session's approvals audit. */
    private static JsonObject lastDecidedBy(Api api, String id) {
        JsonArray audit = api.get("/api/v1/sessions/" + id).json().getJsonArray("approvals_audit");
        return audit.getJsonObject(audit.size() - 1).getJsonObject("decision").getJsonObject("decided_by");
    }

    @Test
    void theLeaseOfAServerThatDiedExpiresAndTheSessionIsUsableAgain() throws Exception {
        String id = session(a);
        // what a server killed in the middle of a turn leaves: a lease nobody renews
        try (Connection c = DriverManager.getConnection(DB.url(), PostgresServer.USER, null);
                PreparedStatement st = c.prepareStatement("INSERT INTO turn_leases (session_id, instance_id,"
                        + " instance_name, acquired_at, expires_at)"
                        + " VALUES (?, ?, 'dead', now(), now() + interval '2 seconds')")) {
            st.setObject(1, UUID.fromString(id));
            st.setObject(2, UUID.randomUUID());
            st.executeUpdate();
        }
        Api.Resp refused = b.post("/api/v1/chat/invoke", body(id, "Too soon"));
        assertEquals(409, refused.status(), refused.body());

        scripted.enqueue(Reply.text("Usable again"));
        JsonObject[] answer = new JsonObject[1];
        assertTrue(RawHttp.await(
                () -> {
                    Api.Resp r = a.post("/api/v1/chat/invoke", body(id, "Now?"));
                    if (r.status() == 200) {
                        answer[0] = r.json();
                    }
                    return r.status() != 409;
                },
                Duration.ofSeconds(15)));
        assertEquals("Usable again", answer[0].getString("response"));
    }
}
