package dev.miu.cli;

import dev.miu.core.json.Json;
import dev.miu.studio.Api;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code miu serve} in a process of its own, as users start it: the first server of its JVM, so Helidon's global
 * registry is the studio's explicit one ({@code StudioRegistry}) and every static set-up runs against it. Chats
 * (invoke and SSE), sessions and the UI must work as they do in the in-process tests.
 */
@Timeout(120)
class ServeProcessTest {

    @RegisterExtension
    final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    @TempDir
    Path dir;

    @Test
    void aFreshProcessServesChatsSessionsAndTheUi() throws Exception {
        Process process = serve(scripted);
        try {
            StringBuilder log = new StringBuilder();
            Api api = new Api(URI.create(MiuProcess.awaitUrl(process, log)));
            assertFalse(log.toString().contains("INFO"), "Helidon's notices stay out of serve's output:\n" + log);
            assertEquals(200, api.get("/api/v1/health").status());
            assertEquals(200, api.get("/api/v1/ready").status());
            assertTrue(api.get("/").body().contains("/static/app.js"));

            String id = api.newSession();
            scripted.enqueue(Reply.text("Paris"), Reply.text("Hello there friend"));
            Api.Resp invoke = api.post("/api/v1/chat/invoke", body(id, "Capital of France?"));
            assertEquals(200, invoke.status(), invoke.body());
            assertEquals("Paris", invoke.json().getString("response"));
            assertEquals("/v1/messages", scripted.lastRequest().path());

            Api.SseResult stream = api.stream("/api/v1/chat/stream", body(id, "Hi"));
            assertEquals(List.of("chunk", "usage", "done"), stream.shape());
            assertEquals("Hello there friend", stream.text());
            assertEquals(
                    4,
                    api.get("/api/v1/sessions/" + id)
                            .json()
                            .getJsonArray("messages")
                            .size());
            assertEquals(404, api.get("/api/v1/no-such-route").status());
            scripted.assertAllConsumed();
        } finally {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        assertEquals(143, process.exitValue(), "SIGTERM stops serve through its shutdown hook");
    }

    @Test
    void inIntervalSyncModeAKilledServerLosesNoAnsweredTurn() throws Exception {
        // a minute between flushes: the kill comes long before the journal's first flush
        Files.writeString(dir.resolve("app.yaml"), "sessions:\n  sync: interval\n  sync-interval-ms: 60000\n");
        Process first = serve(scripted);
        String id;
        try {
            StringBuilder log = new StringBuilder();
            Api api = new Api(URI.create(MiuProcess.awaitUrl(first, log)));
            assertTrue(
                    log.toString().contains("sessions: written to the OS at once, flushed to disk every 60000 ms"),
                    log.toString());
            id = api.newSession();
            scripted.enqueue(Reply.text("Paris"));
            assertEquals(
                    200,
                    api.post("/api/v1/chat/invoke", body(id, "Capital of France?"))
                            .status());
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no checkpoint, no flush
            first.waitFor(20, TimeUnit.SECONDS);
        }
        assertEquals(137, first.exitValue());

        Process second = serve(scripted);
        try {
            Api api = new Api(URI.create(MiuProcess.awaitUrl(second, new StringBuilder())));
            var messages = api.get("/api/v1/sessions/" + id).json().getJsonArray("messages");
            assertEquals(2, messages.size(), "the answered turn survived the kill: " + messages);
            assertEquals(
                    "Paris",
                    messages.getJsonObject(1)
                            .getJsonArray("content")
                            .getJsonObject(0)
                            .getString("text"));
        } finally {
            second.destroy();
            second.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryRefusesToStart() throws Exception {
        Process first = serve(scripted);
        try {
            Api api = new Api(URI.create(MiuProcess.awaitUrl(first)));
            String id = api.newSession();

            Process second = serve(scripted);
            String output;
            try (var out = second.getInputStream()) {
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(second.waitFor(30, TimeUnit.SECONDS));
            assertEquals(2, second.exitValue(), output);
            assertTrue(output.contains("is in use by another miu server (pid " + first.pid() + ")"), output);
            assertFalse(output.contains("listening on"), output);

            assertEquals(200, api.get("/api/v1/sessions/" + id).status(), "the first server is unharmed");
        } finally {
            first.destroy();
            first.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** {@code miu serve} in {@link #dir} (so its app.yaml is read) on any free port, data under dir/data. */
    private Process serve(ScriptedLlmServer scripted) throws IOException {
        Map<String, String> env = new HashMap<>(scripted.environment());
        env.put("MIU_MODEL", "anthropic:claude-test");
        return MiuProcess.serve(dir, env);
    }

    private static String body(String id, String message) {
        return Json.write(
                Json.object().add("session_id", id).add("message", message).build());
    }
}
