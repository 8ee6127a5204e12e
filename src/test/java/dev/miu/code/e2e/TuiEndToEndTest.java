package dev.miu.code.e2e;

import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code miu tui} in a real pseudo-terminal (tmux), against the scripted LLM. */
@Timeout(180)
class TuiEndToEndTest {

    @TempDir
    Path tmp;

    Path ws;

    @RegisterExtension
    final ScriptedLlmServer llm = ScriptedLlmServer.start();

    Tmux term;

    @BeforeEach
    void setUp() throws Exception {
        ws = Files.createDirectories(tmp.resolve("ws"));
        Files.writeString(ws.resolve("hello.txt"), "hello world\n");
        Map<String, String> env = new HashMap<>(llm.environment());
        env.put("MIU_DATA_DIR", tmp.resolve("data").toString());
        env.put("MIU_MODEL", "anthropic:claude-test");
        term = Tmux.start(MiuProcess.command("tui"), ws, env, 120, 40);
        term.awaitText("NORMAL");
    }

    @AfterEach
    void tearDown() {
        term.close();
    }

    /** The status bar: the last non-empty line of the screen. */
    private String statusBar() {
        List<String> lines = term.screen().lines().filter(l -> !l.isBlank()).toList();
        return lines.getLast();
    }

    private void awaitIdle() {
        term.await("the turn to end", s -> !s.contains("working…"), Duration.ofSeconds(30));
    }

    @Test
    void chatWithToolCardsStatusBarAndKeys() {
        String status = statusBar();
        assertTrue(
                status.contains("NORMAL")
                        && status.contains("anthropic:claude-test")
                        && status.contains("0 / 150k tokens (0%)"),
                status);
        assertTrue(status.contains(ws.getFileName().toString()), status);

        llm.enqueue(
                Reply.toolCall("r1", "Read", "{\"file_path\":\"hello.txt\"}").withUsage(3000, 20),
                Reply.text("The file says hello world.").withUsage(3100, 10));
        term.type("What does hello.txt say?");
        term.keys("Enter");
        String screen = term.awaitText("The file says hello world.");
        assertTrue(screen.contains("› What does hello.txt say?"), screen);
        assertTrue(screen.contains("● Read(hello.txt)"), screen);
        assertTrue(screen.contains("⎿ 1 hello world"), screen);
        awaitIdle();
        System.out.println(term.screen()); // kept in the surefire report, to see what the user sees
        assertTrue(statusBar().contains("3.1k / 150k tokens (2%)"), statusBar());

        term.keys("BTab");
        term.await("plan mode", s -> statusBar().contains("PLAN"), Duration.ofSeconds(10));
        term.keys("BTab");
        term.await("auto mode", s -> statusBar().contains("AUTO"), Duration.ofSeconds(10));
        term.keys("BTab");
        term.await("normal mode", s -> statusBar().contains("NORMAL"), Duration.ofSeconds(10));

        // input history: Up brings the last question back
        term.keys("Up");
        term.awaitText("│ › What does hello.txt say?");
        term.keys("C-a", "C-k");
        term.keys("C-e");
        for (int i = 0; i < "What does hello.txt say?".length(); i++) {
            term.keys("BSpace");
        }
        term.await("an empty input box", s -> !s.contains("│ › What"), Duration.ofSeconds(10));

        term.keys("C-l");
        term.await("a cleared transcript", s -> !s.contains("The file says hello world."), Duration.ofSeconds(10));

        term.keys("C-n");
        term.awaitText("New session");
        term.await("tokens reset", s -> statusBar().contains("0 / 150k tokens"), Duration.ofSeconds(10));
        llm.assertAllConsumed();

        term.keys("C-c");
        term.awaitText("[exit 0]");
    }

    @Test
    void approvalDialogYesAndNoWithAReason() throws Exception {
        llm.enqueue(
                Reply.toolCall("b1", "Bash", "{\"command\":\"touch made.txt\"}"),
                Reply.text("Created made.txt."),
                Reply.toolCall("w1", "Write", "{\"file_path\":\"other.txt\",\"content\":\"x\"}"),
                Reply.text("Fine, skipped."));
        term.type("make a file");
        term.keys("Enter");
        String dialog = term.awaitText("Allow Bash(touch made.txt)?");
        System.out.println(dialog); // kept in the surefire report, to see what the user sees
        assertTrue(dialog.contains("[y] yes") && dialog.contains("[a] always") && dialog.contains("[n] no"), dialog);
        assertFalse(Files.exists(ws.resolve("made.txt")));
        term.type("y");
        term.awaitText("Created made.txt.");
        assertTrue(Files.exists(ws.resolve("made.txt")));
        awaitIdle();

        term.type("write another");
        term.keys("Enter");
        term.awaitText("Allow Write(other.txt)?");
        term.type("n");
        term.awaitText("reason ›");
        term.type("wrong folder");
        term.keys("Enter");
        term.awaitText("Fine, skipped.");
        assertFalse(Files.exists(ws.resolve("other.txt")));
        var messages = llm.lastRequest().json().getJsonArray("messages");
        assertEquals(
                "The user denied this Write call: wrong folder",
                messages.getJsonObject(messages.size() - 1)
                        .getJsonArray("content")
                        .getJsonObject(0)
                        .getString("content"));
        llm.assertAllConsumed();
    }

    @Test
    void escapeInterruptsAStreamingAnswer() {
        StringBuilder longAnswer = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            longAnswer.append("word").append(i).append(' ');
        }
        llm.enqueue(
                Reply.text(longAnswer.toString()).withChunkDelay(Duration.ofMillis(300)), Reply.text("Still here."));
        term.type("tell me a long story");
        term.keys("Enter");
        term.awaitText("word2");
        term.keys("Escape");
        String screen = term.awaitText("(interrupted)");
        assertFalse(screen.contains("word59"), screen);
        awaitIdle();

        term.type("are you there?");
        term.keys("Enter");
        term.awaitText("Still here.");
        llm.assertAllConsumed();
    }
}
