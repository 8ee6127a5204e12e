package dev.miu.code.e2e;

import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code miu} with no arguments in a real pseudo-terminal (tmux), against the scripted LLM. */
@Timeout(180)
class ReplEndToEndTest {

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
        Files.createDirectories(ws.resolve(".miu/commands"));
        Files.writeString(
                ws.resolve(".miu/commands/explain.md"),
                "---\ndescription: Explain a file\n---\nExplain $ARGUMENTS briefly.\n");
    }

    @AfterEach
    void tearDown() {
        if (term != null) {
            term.close();
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(llm.environment());
        env.put("MIU_DATA_DIR", tmp.resolve("data").toString());
        env.put("MIU_MODEL", "anthropic:claude-test");
        return env;
    }

    /** Waits until the REPL shows a fresh prompt on its last line (the turn before it has finished). */
    private void awaitPrompt(String prompt) {
        term.await("a fresh " + prompt, s -> s.strip().endsWith(prompt), java.time.Duration.ofSeconds(30));
    }

    private static String lastUserText(JsonObject request) {
        JsonArray messages = request.getJsonArray("messages");
        return messages.getJsonObject(messages.size() - 1)
                .getJsonArray("content")
                .getJsonObject(0)
                .getString("text", null);
    }

    @Test
    void questionsToolCallsApprovalsCommandsAndSessions() throws Exception {
        llm.enqueue(
                Reply.toolCall("r1", "Read", "{\"file_path\":\"hello.txt\"}"),
                Reply.text("The file says hello world."),
                Reply.toolCall("w1", "Write", "{\"file_path\":\"new.txt\",\"content\":\"x\"}"),
                Reply.text("OK, I left it alone."),
                Reply.text("hello.txt holds a greeting."));
        term = Tmux.start(MiuProcess.command(), ws, env(), 110, 40);
        term.awaitText("[normal] ›");

        term.type("What does hello.txt say?");
        term.keys("Enter");
        String screen = term.awaitText("The file says hello world.");
        awaitPrompt("[normal] ›");
        assertTrue(screen.contains("● Read(hello.txt)"), screen);
        assertTrue(
                screen.contains("⎿      1\thello world".replace("\t", "")) || screen.contains("⎿ 1 hello world"),
                screen);

        term.type("write new.txt");
        term.keys("Enter");
        term.awaitText("Allow? [y]es / [a]lways for this session / [n]o:");
        assertTrue(term.screen().contains("? Write(new.txt)"));
        term.type("n");
        term.keys("Enter");
        term.awaitText("Reason for the model");
        term.type("not today");
        term.keys("Enter");
        term.awaitText("OK, I left it alone.");
        awaitPrompt("[normal] ›");
        assertFalse(Files.exists(ws.resolve("new.txt")));
        JsonArray fourth = llm.requests().get(3).json().getJsonArray("messages");
        String denied = fourth.getJsonObject(fourth.size() - 1)
                .getJsonArray("content")
                .getJsonObject(0)
                .getString("content");
        assertEquals("The user denied this Write call: not today", denied);

        term.type("/explain hello.txt");
        term.keys("Enter");
        term.awaitText("hello.txt holds a greeting.");
        awaitPrompt("[normal] ›");
        assertEquals(
                "Explain hello.txt briefly.", lastUserText(llm.lastRequest().json()));

        term.type("/mode");
        term.keys("Enter");
        term.awaitText("[plan] ›");
        term.type("/mode auto");
        term.keys("Enter");
        term.awaitText("[auto] ›");
        term.type("/help");
        term.keys("Enter");
        term.awaitText("/explain");
        term.type("/sessions");
        term.keys("Enter");
        screen = term.awaitText("(current)");
        assertTrue(screen.contains("What does hello.txt say?"), screen);
        term.type("/exit");
        term.keys("Enter");
        term.awaitText("[exit 0]");
        llm.assertAllConsumed();

        try (var files = Files.list(tmp.resolve("data/code/sessions"))) {
            Path session = files.findFirst().orElseThrow();
            assertTrue(Files.readString(session).contains("hello.txt holds a greeting."));
        }
    }

    /** The model asks for a read and two writes at once: the read runs, then each write is asked about in turn. */
    @Test
    void aMessageWithSeveralCallsAsksAboutEachChangeAndAlwaysCoversTheRest() throws Exception {
        llm.enqueue(
                Reply.turn(
                        new Reply.ToolCall("r1", "Read", "{\"file_path\":\"hello.txt\"}"),
                        new Reply.ToolCall("w1", "Write", "{\"file_path\":\"one.txt\",\"content\":\"1\"}"),
                        new Reply.ToolCall("w2", "Write", "{\"file_path\":\"two.txt\",\"content\":\"2\"}")),
                Reply.toolCall("w3", "Write", "{\"file_path\":\"three.txt\",\"content\":\"3\"}"),
                Reply.text("Three files written."));
        term = Tmux.start(MiuProcess.command(), ws, env(), 110, 40);
        term.awaitText("[normal] ›");
        term.type("copy hello into files");
        term.keys("Enter");
        String screen = term.awaitText("Allow? [y]es / [a]lways for this session / [n]o:");
        assertTrue(screen.contains("● Read(hello.txt)"), "the read ran before the question: " + screen);
        assertTrue(screen.contains("? Write(one.txt)"), screen);
        assertFalse(screen.contains("? Write(two.txt)"), "one question at a time: " + screen);
        term.type("a");
        term.keys("Enter");
        term.awaitText("Three files written.");
        awaitPrompt("[normal] ›");
        assertFalse(term.screen().contains("? Write(two.txt)"), "always covered the second write of the message");
        assertFalse(term.screen().contains("? Write(three.txt)"), "and the next message's write");
        for (String f : new String[] {"one.txt", "two.txt", "three.txt"}) {
            assertTrue(Files.exists(ws.resolve(f)), f);
        }
        JsonArray second = llm.requests().get(1).json().getJsonArray("messages");
        JsonArray results = second.getJsonObject(second.size() - 1).getJsonArray("content");
        assertEquals(
                java.util.List.of("r1", "w1", "w2"),
                results.stream()
                        .map(v -> v.asJsonObject().getString("tool_use_id"))
                        .toList());
        llm.assertAllConsumed();
    }

    @Test
    void continueResumesTheLatestSession() throws Exception {
        llm.enqueue(Reply.text("Noted: blue."), Reply.text("You said blue."));
        term = Tmux.start(MiuProcess.command(), ws, env(), 110, 30);
        term.awaitText("[normal] ›");
        term.type("My favourite colour is blue.");
        term.keys("Enter");
        term.awaitText("Noted: blue.");
        awaitPrompt("[normal] ›");
        term.keys("C-d");
        term.awaitText("[exit 0]");
        term.close();

        term = Tmux.start(MiuProcess.command("--continue"), ws, env(), 110, 30);
        term.awaitText("(resumed, 2 messages)");
        term.type("What is my favourite colour?");
        term.keys("Enter");
        term.awaitText("You said blue.");
        JsonArray sent = llm.lastRequest().json().getJsonArray("messages");
        assertEquals(3, sent.size());
        llm.assertAllConsumed();
    }

    @Test
    void ctrlCInterruptsATurnAndTheReplCarriesOn() throws Exception {
        StringBuilder longAnswer = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            longAnswer.append("word").append(i).append(' ');
        }
        llm.enqueue(
                Reply.text(longAnswer.toString()).withChunkDelay(java.time.Duration.ofMillis(300)),
                Reply.text("Still here."));
        term = Tmux.start(MiuProcess.command(), ws, env(), 110, 30);
        term.awaitText("[normal] ›");
        term.type("tell me a long story");
        term.keys("Enter");
        term.awaitText("word2");
        term.keys("C-c");
        String screen = term.awaitText("(interrupted)");
        assertFalse(screen.contains("word59"), screen);
        awaitPrompt("[normal] ›");
        term.type("are you there?");
        term.keys("Enter");
        term.awaitText("Still here.");
        llm.assertAllConsumed();
    }
}
