package dev.miu.studio;

import dev.miu.cli.MiuProcess;
import dev.miu.core.json.Json;
import dev.miu.testing.Prerequisites;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import jakarta.json.JsonArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After a storage write fails, a session shows exactly what was stored: the user's message a turn staged (shown
 * while it ran) goes when the write that would have stored it fails. The failure is real: {@code miu serve} runs
 * in its own process, and {@code prlimit} lowers its file-size limit so the journal's next append fails (EFBIG),
 * as a full disk would.
 */
@Timeout(120)
class FailedStoreWriteTest {

    private static final String PRLIMIT = "/usr/bin/prlimit";

    @TempDir
    Path dir;

    @Test
    void aFailedTurnWriteLeavesTheSessionAsStored() throws Exception {
        Prerequisites.executable(PRLIMIT, "apt-get install util-linux");
        try (ScriptedLlmServer scripted = ScriptedLlmServer.start()) {
            Map<String, String> env = new HashMap<>(scripted.environment());
            env.put("MIU_MODEL", "anthropic:claude-test");
            Process serve = MiuProcess.serve(dir, env);
            try {
                Api api = new Api(URI.create(MiuProcess.awaitUrl(serve)));
                String id = api.newSession();
                scripted.enqueue(Reply.text("Paris"), Reply.text("Berlin"));
                assertEquals(
                        200,
                        api.post("/api/v1/chat/invoke", body(id, "Capital of France?"))
                                .status());

                limitFileSize(serve, "1:"); // soft limit: any write past the first byte of a file fails from now on
                Api.Resp failed = api.post("/api/v1/chat/invoke", body(id, "Capital of Germany?"));
                assertEquals(500, failed.status(), failed.body());
                assertTrue(failed.detail().startsWith("Storage error"), failed.detail());

                JsonArray messages = api.get("/api/v1/sessions/" + id).json().getJsonArray("messages");
                assertEquals(2, messages.size(), "only what was stored: " + messages);
                assertEquals(
                        "Paris",
                        messages.getJsonObject(1)
                                .getJsonArray("content")
                                .getJsonObject(0)
                                .getString("text"));
                scripted.assertAllConsumed();
            } finally {
                serve.destroyForcibly();
                serve.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static void limitFileSize(Process process, String limit) throws Exception {
        Process prlimit = new ProcessBuilder(PRLIMIT, "--pid", String.valueOf(process.pid()), "--fsize=" + limit)
                .redirectErrorStream(true)
                .start();
        String out = new String(prlimit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(prlimit.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, prlimit.exitValue(), out);
    }

    private static String body(String id, String message) {
        return Json.write(
                Json.object().add("session_id", id).add("message", message).build());
    }
}
