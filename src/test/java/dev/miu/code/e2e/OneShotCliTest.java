package dev.miu.code.e2e;

import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code miu -q} as a user runs it: a child JVM pointed at the scripted LLM through environment variables. */
@Timeout(120)
class OneShotCliTest {

    @TempDir
    Path tmp;

    Path ws;

    @RegisterExtension
    final ScriptedLlmServer llm = ScriptedLlmServer.start();

    @BeforeEach
    void setUp() throws Exception {
        ws = Files.createDirectories(tmp.resolve("ws"));
        Files.writeString(ws.resolve("hello.txt"), "hello world\n");
    }

    record Result(int exit, String out, String err) {}

    private Result miu(String... args) throws Exception {
        var pb = new ProcessBuilder(MiuProcess.command(args)).directory(ws.toFile());
        pb.environment().putAll(llm.environment());
        pb.environment().put("MIU_DATA_DIR", tmp.resolve("data").toString());
        pb.environment().remove("MIU_MODEL");
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("miu did not finish: " + Files.readString(err));
        }
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String lastToolResult(JsonObject request) {
        JsonArray messages = request.getJsonArray("messages");
        return messages.getJsonObject(messages.size() - 1)
                .getJsonArray("content")
                .getJsonObject(0)
                .getString("content");
    }

    @Test
    void readsWithToolsAndAnswersOnStdout() throws Exception {
        llm.enqueue(Reply.toolCall("r1", "Read", "{\"file_path\":\"hello.txt\"}"), Reply.text("It says hello world."));
        Result r = miu("-q", "What does hello.txt say?");
        assertEquals(0, r.exit(), r.err());
        assertEquals("It says hello world.\n", r.out());
        assertTrue(r.err().contains("● Read(hello.txt)"), r.err());
        assertTrue(lastToolResult(llm.lastRequest().json()).contains("hello world"));
        llm.assertAllConsumed();
        try (var sessions = Files.list(tmp.resolve("data/code/sessions"))) {
            assertEquals(1, sessions.count(), "the one-shot turn is saved as a session");
        }
    }

    @Test
    void refusesChangesByDefaultAndTellsTheModelHowToAllowThem() throws Exception {
        llm.enqueue(
                Reply.toolCall("b1", "Bash", "{\"command\":\"touch made.txt\"}"), Reply.text("I could not run it."));
        Result r = miu("-q", "make a file");
        assertEquals(0, r.exit(), r.err());
        assertFalse(Files.exists(ws.resolve("made.txt")));
        assertTrue(lastToolResult(llm.lastRequest().json()).contains("--mode auto"));
        llm.assertAllConsumed();
    }

    @Test
    void modeAutoAllowsChanges() throws Exception {
        llm.enqueue(Reply.toolCall("b1", "Bash", "{\"command\":\"touch made.txt\"}"), Reply.text("Made it."));
        Result r = miu("-q", "make a file", "--mode", "auto");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(ws.resolve("made.txt")));
        assertEquals("Made it.\n", r.out());
        llm.assertAllConsumed();
    }

    @Test
    void badOptionsAreClearErrors() throws Exception {
        Result r = miu("-q", "hi", "--mode", "yolo");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Unknown mode 'yolo'; choose one of normal, plan, auto"), r.err());
        Result s = miu("-q", "hi", "--session", "does-not-exist");
        assertEquals(2, s.exit());
        assertTrue(s.err().contains("No session 'does-not-exist'"), s.err());
        assertEquals(0, llm.requestCount());
    }
}
