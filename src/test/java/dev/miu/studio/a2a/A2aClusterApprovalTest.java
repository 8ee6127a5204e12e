package dev.miu.studio.a2a;

import dev.miu.config.DatabaseSettings;
import dev.miu.core.mcp.McpServers;
import dev.miu.studio.Api;
import dev.miu.studio.Studio;
import dev.miu.studio.StudioFixtures;
import dev.miu.studio.session.postgres.PostgresSessionRepository;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.PostgresServer;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServer;
import jakarta.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.miu.studio.a2a.A2aApprovalTest.answer;
import static dev.miu.studio.a2a.A2aApprovalTest.getTask;
import static dev.miu.studio.a2a.A2aApprovalTest.pending;
import static dev.miu.studio.a2a.A2aApprovalTest.send;
import static dev.miu.studio.a2a.A2aApprovalTest.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Two studios on one PostgreSQL: an A2A task paused on A follows the run that a decision made on B continues on B,
 * which A is never told of; it reads the stored session when the task is read (working while B runs it, paused
 * again, completed with the answer).
 */
@Timeout(120)
class A2aClusterApprovalTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    @RegisterExtension
    static final PostgresServer DB = new PostgresServer();

    private static WebServer serverA;
    private static WebServer serverB;
    private static URI uriA;
    private static Api b;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        Path data = StudioFixtures.tempDir();
        Path workspace = Files.createDirectories(data.resolve("ws"));
        serverA = server(data, workspace);
        serverB = server(data, workspace);
        uriA = URI.create("http://127.0.0.1:" + serverA.port());
        b = new Api(URI.create("http://127.0.0.1:" + serverB.port()));
    }

    private static WebServer server(Path data, Path workspace) {
        var sessions = PostgresSessionRepository.open(
                new DatabaseSettings(DB.url(), PostgresServer.USER, null, 4, Duration.ofSeconds(5)));
        var config = StudioFixtures.config(scripted.settings(), data, StudioFixtures.server());
        var studio = new Studio(
                config,
                sessions,
                StudioTools.none(),
                A2aApprovalTest.coder(scripted, data, workspace),
                McpServers.none(),
                null);
        var builder = WebServer.builder().host("127.0.0.1").port(0);
        StudioFixtures.mount(builder, studio);
        return builder.build().start();
    }

    @AfterAll
    static void stop() {
        serverA.stop();
        serverB.stop();
    }

    /** Decides on B (its continuation runs there, slowly) and waits until A's task shows it working. */
    private CompletableFuture<Api.Resp> decideOnB(String context, String approval, String taskId) {
        CompletableFuture<Api.Resp> decided = CompletableFuture.supplyAsync(
                () -> b.post("/api/v1/sessions/" + context + "/approvals/" + approval, "{\"decision\":\"approve\"}"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> state(getTask(http, uriA, taskId)).equals("TASK_STATE_WORKING"));
        return decided;
    }

    @Test
    void aTaskPausedHereFollowsTheRunThatAnotherServerContinues() throws Exception {
        scripted.enqueue(A2aApprovalTest.write("w1", "x.txt", "one"));
        JsonObject paused = send(http, uriA, "Write x and y");
        assertEquals("TASK_STATE_INPUT_REQUIRED", state(paused));
        String context = paused.getString("contextId");
        String taskId = paused.getString("id");
        String first = pending(b, context).getFirst();

        // B goes on, slowly, and pauses again on a second Write
        scripted.enqueue(A2aApprovalTest.write("w2", "y.txt", "two").withChunkDelay(Duration.ofMillis(300)));
        assertEquals(
                200, decideOnB(context, first, taskId).get(20, TimeUnit.SECONDS).status());
        JsonObject again = getTask(http, uriA, taskId);
        assertEquals("TASK_STATE_INPUT_REQUIRED", state(again));
        assertEquals("Writing y.txt", answer(again));
        List<String> second = pending(b, context);
        assertNotEquals(first, second.getFirst());

        scripted.enqueue(Reply.text("Both files are written now").withChunkDelay(Duration.ofMillis(300)));
        assertEquals(
                200,
                decideOnB(context, second.getFirst(), taskId)
                        .get(20, TimeUnit.SECONDS)
                        .status());
        JsonObject done = getTask(http, uriA, taskId);
        assertEquals("TASK_STATE_COMPLETED", state(done));
        assertEquals("Both files are written now", answer(done));
    }
}
