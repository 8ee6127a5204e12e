package dev.miu.cli;

import dev.miu.core.json.Json;
import dev.miu.studio.Api;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two {@code miu serve} processes on different ports and one PostgreSQL, as a team runs them behind a load balancer:
 * sessions, turns, cancels and approvals are shared; and an instance killed ({@code kill -9}) under load loses no
 * turn it answered, and its sessions are usable on the other within the lease TTL.
 */
@Timeout(240)
class ServeClusterTest {

    /** Short, so the killed server's leases expire quickly. */
    private static final String LEASE_TTL = "5s";

    @RegisterExtension
    final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    @RegisterExtension
    static final PostgresServer DB = new PostgresServer();

    @TempDir
    Path dir;

    @Test
    void twoServersOnOneDatabaseBehaveAsOne() throws Exception {
        Process first = serve("a");
        Process second = serve("b");
        try {
            Api a = new Api(URI.create(MiuProcess.awaitUrl(first)));
            Api b = new Api(URI.create(MiuProcess.awaitUrl(second)));

            // created, renamed, deleted on one: seen at once on the other
            String id = a.post("/api/v1/sessions", "{}").json().getString("id");
            assertEquals(200, b.get("/api/v1/sessions/" + id).status());
            assertEquals(
                    200,
                    b.patch("/api/v1/sessions/" + id, "{\"name\":\"from B\"}").status());
            assertEquals("from B", a.get("/api/v1/sessions/" + id).json().getString("name"));
            assertEquals(200, a.delete("/api/v1/sessions/" + id).status());
            assertEquals(404, b.get("/api/v1/sessions/" + id).status());

            // a turn running on A: 409 on B, and a cancel sent to B stops it
            String busy = a.post("/api/v1/sessions", "{}").json().getString("id");
            scripted.enqueue(Reply.pingsForever());
            int before = scripted.requestCount();
            var running = CompletableFuture.supplyAsync(() -> a.post("/api/v1/chat/invoke", body(busy, "Forever")));
            assertTrue(await(() -> scripted.requestCount() > before, Duration.ofSeconds(20)), "A's turn runs");
            assertEquals(
                    409, b.post("/api/v1/chat/invoke", body(busy, "Me too")).status());
            Api.Resp cancelled = b.post("/api/v1/sessions/" + busy + "/cancel", "");
            assertEquals(200, cancelled.status(), cancelled.body());
            assertEquals("cancelled", running.get(20, TimeUnit.SECONDS).json().getString("stop_reason"));

            // an approval decided on B: the turn waiting on A's stream goes on there
            String paused =
                    a.post("/api/v1/sessions", "{\"agent\":\"clock\"}").json().getString("id");
            scripted.enqueue(Reply.toolCall("t1", "current_time", "{}"));
            var stream = CompletableFuture.supplyAsync(() -> a.stream("/api/v1/chat/stream", body(paused, "Time?")));
            String approval = awaitApproval(b, paused);
            scripted.enqueue(Reply.text("It is now."));
            Api.Resp decided =
                    b.post("/api/v1/sessions/" + paused + "/approvals/" + approval, "{\"decision\":\"approve\"}");
            assertEquals(200, decided.status(), decided.body());
            assertEquals("continuing", decided.json().getString("status"));
            Api.SseResult result = stream.get(20, TimeUnit.SECONDS);
            assertEquals("It is now.", result.text());
            assertEquals("end_turn", result.events().getLast().getString("stop_reason"));

            // no turn holds the session (A's invoke ended awaiting approval): B resumes it
            scripted.enqueue(Reply.toolCall("t2", "current_time", "{}"));
            Api.Resp waiting = a.post("/api/v1/chat/invoke", body(paused, "And now?"));
            assertEquals("awaiting_approval", waiting.json().getString("stop_reason"), waiting.body());
            String second2 = waiting.json()
                    .getJsonArray("pending_approvals")
                    .getJsonObject(0)
                    .getString("approval_id");
            scripted.enqueue(Reply.text("Later now."));
            Api.Resp resumed =
                    b.post("/api/v1/sessions/" + paused + "/approvals/" + second2, "{\"decision\":\"approve\"}");
            assertEquals(200, resumed.status(), resumed.body());
            assertEquals("Later now.", resumed.json().getString("response"));
        } finally {
            stop(first);
            stop(second);
        }
    }

    @Test
    void aServerKilledUnderLoadLosesNoAnsweredTurnAndItsSessionsAreUsableOnTheOther() throws Exception {
        Process first = serve("a");
        Process second = serve("b");
        try {
            Api a = new Api(URI.create(MiuProcess.awaitUrl(first)));
            Api b = new Api(URI.create(MiuProcess.awaitUrl(second)));
            scripted.fallback(Reply.text("ok"));
            int clients = 16;
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                sessions.add(a.post("/api/v1/sessions", "{}").json().getString("id"));
            }
            var answered = new ConcurrentHashMap<String, AtomicInteger>();
            sessions.forEach(s -> answered.put(s, new AtomicInteger()));
            var stopping = new AtomicBoolean();
            List<Thread> load = new ArrayList<>();
            for (String s : sessions) {
                load.add(Thread.ofVirtual().start(() -> {
                    while (!stopping.get()) {
                        int n = answered.get(s).get();
                        Api.Resp r;
                        try {
                            r = a.post("/api/v1/chat/invoke", body(s, "turn " + n));
                        } catch (RuntimeException e) {
                            return; // the server is gone
                        }
                        if (r.status() != 200) {
                            return;
                        }
                        answered.get(s).incrementAndGet(); // acknowledged: it must be in the database
                    }
                }));
            }
            BooleanSupplier enough = () ->
                    answered.values().stream().mapToInt(AtomicInteger::get).sum() >= 200;
            assertTrue(await(enough, Duration.ofSeconds(60)), "the load runs");
            scripted.enqueue(Reply.pingsForever()); // one turn that is surely running at the kill, holding a lease
            int before = scripted.requestCount();
            assertTrue(await(() -> scripted.requestCount() > before + 1, Duration.ofSeconds(20)));

            first.destroyForcibly(); // SIGKILL: nothing runs on the way out
            assertTrue(first.waitFor(20, TimeUnit.SECONDS));
            assertEquals(137, first.exitValue());
            stopping.set(true);
            for (Thread t : load) {
                t.join(Duration.ofSeconds(30));
            }
            assertTrue(liveLeases() > 0, "the killed server left at least one lease behind");

            for (String s : sessions) {
                JsonArray messages = b.get("/api/v1/sessions/" + s).json().getJsonArray("messages");
                int acknowledged = answered.get(s).get();
                for (int n = 0; n < acknowledged; n++) {
                    assertEquals("turn " + n, text(messages.getJsonObject(2 * n)), "session " + s);
                    assertEquals("ok", text(messages.getJsonObject(2 * n + 1)), "session " + s);
                }
                // at most the one turn in flight at the kill comes after them (its user message staged, or both)
                assertTrue(messages.size() <= 2 * acknowledged + 2, messages.toString());
            }
            // every session, the one whose turn A ran at the kill included, takes turns on B once A's lease expires
            for (String s : sessions) {
                assertTrue(
                        await(
                                () -> b.post("/api/v1/chat/invoke", body(s, "on B"))
                                                .status()
                                        == 200,
                                Duration.ofSeconds(30)),
                        "session " + s + " usable on B");
            }
            assertEquals(0, liveLeases(), "B released its leases");
        } finally {
            scripted.fallback(null);
            scripted.reset();
            stop(first);
            stop(second);
        }
    }

    private static String text(JsonObject message) {
        return message.getJsonArray("content").getJsonObject(0).getString("text");
    }

    private static long liveLeases() throws Exception {
        try (Connection c = DriverManager.getConnection(DB.url(), PostgresServer.USER, null);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM turn_leases WHERE expires_at > now()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String awaitApproval(Api api, String id) {
        String[] found = new String[1];
        assertTrue(await(
                () -> {
                    JsonArray pending = api.get("/api/v1/sessions/" + id).json().getJsonArray("pending_approvals");
                    if (pending.isEmpty()) {
                        return false;
                    }
                    found[0] = pending.getJsonObject(0).getString("approval_id");
                    return true;
                },
                Duration.ofSeconds(20)));
        return found[0];
    }

    private static boolean await(BooleanSupplier condition, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * {@code miu serve} on any free port, sessions in the test's database; {@code name} is its own directory (an
     * app.yaml declaring an agent whose current_time calls wait for approval, and its data).
     */
    private Process serve(String name) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Files.writeString(home.resolve("app.yaml"), """
                sessions:
                  store: postgres
                database:
                  lease-ttl: %s
                agents:
                  - name: clock
                    model: anthropic:claude-test
                    tools: [{builtin: current_time, approval: always}]
                """.formatted(LEASE_TTL));
        Map<String, String> env = new HashMap<>(scripted.environment());
        env.put("MIU_MODEL", "anthropic:claude-test");
        env.put("MIU_DATABASE_URL", DB.url());
        env.put("MIU_DATABASE_USER", PostgresServer.USER);
        return MiuProcess.serve(home, env);
    }

    private static String body(String id, String message) {
        return Json.write(
                Json.object().add("session_id", id).add("message", message).build());
    }
}
