package dev.miu.studio.session;

import dev.miu.config.SessionSettings;
import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file store: exact round trips, durable atomic writes, corrupt files skipped, no lost concurrent updates. */
@Timeout(60)
class FileSessionRepositoryTest {

    /** Holds the data directory and the copies a simulated crash leaves next to it. */
    @TempDir
    Path root;

    Path dataDir;

    @org.junit.jupiter.api.BeforeEach
    void dataDir() throws IOException {
        dataDir = Files.createDirectories(root.resolve("data"));
    }

    private static Session session(String name) {
        Instant now = Instant.now();
        return new Session(SessionIds.newId(), name, "openai:gpt-test", "Be kind.", now, now, List.of());
    }

    private static List<Message> toolConversation() {
        return List.of(
                Message.user("What is 2 + 3?"),
                new Message(
                        Role.ASSISTANT,
                        List.of(
                                new ContentBlock.Text("Let me add."),
                                new ContentBlock.ToolUse("call_1", "add", Json.parseObject("{\"a\":2,\"b\":3}")))),
                Message.toolResults(List.of(new ContentBlock.ToolResult("call_1", "5", false))),
                Message.assistant("It is 5 — ünïcödé ✓"));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dataDir.resolve("sessions"))) {
            return s.toList();
        }
    }

    @Test
    void storesEveryKindOfMessageExactlyAndSurvivesANewInstance() {
        var repo = new FileSessionRepository(dataDir);
        Session created = repo.create(session("math"));
        repo.update(created.id(), s -> s.append(toolConversation()));

        var reopened = new FileSessionRepository(dataDir);
        Session back = reopened.find(created.id()).orElseThrow();
        assertEquals(toolConversation(), back.messages());
        assertEquals("math", back.name());
        assertEquals("Be kind.", back.systemPrompt());
        assertEquals(created.createdAt(), back.createdAt());
        assertEquals(4, reopened.list().getFirst().messageCount());
    }

    @Test
    void aStagedChangeIsSeenAtOnceAndStoredWithTheNextUpdateButNotBefore() throws IOException {
        var repo = new FileSessionRepository(dataDir);
        Session s = repo.create(session("turn"));
        repo.flush();
        String fileBefore = Files.readString(dataDir.resolve("sessions").resolve(s.id() + ".json"));

        Session staged = repo.stage(s.id(), x -> x.append(List.of(Message.user("question"))))
                .orElseThrow();
        assertEquals(List.of(Message.user("question")), staged.messages());
        assertEquals(staged, repo.find(s.id()).orElseThrow(), "readers of this store see the staged message");
        assertEquals(
                fileBefore,
                Files.readString(dataDir.resolve("sessions").resolve(s.id() + ".json")),
                "nothing written for it yet");
        repo.flush();
        Path crashed = CrashCopy.of(dataDir);
        assertTrue(
                new FileSessionRepository(crashed)
                        .find(s.id())
                        .orElseThrow()
                        .messages()
                        .isEmpty(),
                "a crash before the next update loses it");

        repo.update(s.id(), x -> x.append(List.of(Message.assistant("answer"))));
        assertEquals(
                List.of(Message.user("question"), Message.assistant("answer")),
                new FileSessionRepository(dataDir).find(s.id()).orElseThrow().messages());
        assertTrue(repo.stage(SessionIds.newId(), x -> x).isEmpty());
    }

    @Test
    void writesLeaveOnlyTheSessionFile() throws IOException {
        var repo = new FileSessionRepository(dataDir);
        Session s = repo.create(session("a"));
        for (int i = 0; i < 5; i++) {
            repo.update(s.id(), x -> x.append(List.of(Message.user("more"))));
        }
        repo.flush();
        assertEquals(List.of(dataDir.resolve("sessions").resolve(s.id() + ".json")), files());
        assertEquals(
                5,
                new FileSessionRepository(dataDir)
                        .find(s.id())
                        .orElseThrow()
                        .messages()
                        .size());
    }

    @Test
    void aCrashMidWriteLeavesTheOldSessionAndItsTempFileIsCleanedUp() throws IOException {
        var repo = new FileSessionRepository(dataDir);
        Session s = repo.create(session("before the crash"));
        repo.flush();
        Path half = dataDir.resolve("sessions").resolve("." + s.id() + ".123.tmp");
        Files.writeString(half, "{\"id\":\"" + s.id() + "\",\"name\":\"after the cr");

        var restarted = new FileSessionRepository(dataDir);
        assertFalse(Files.exists(half));
        assertEquals("before the crash", restarted.find(s.id()).orElseThrow().name());
    }

    @Test
    void aFileTornWhileRewrittenInPlaceComesBackWholeFromTheJournalAfterACrash() throws IOException {
        var repo = new FileSessionRepository(dataDir);
        Session s = repo.create(session("torn"));
        for (int i = 0; i < 20; i++) {
            String text = "message " + i;
            repo.update(s.id(), x -> x.append(List.of(Message.user(text))));
        }
        repo.flush();
        Path crashed = CrashCopy.of(dataDir);
        Path file = crashed.resolve("sessions").resolve(s.id() + ".json");
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2)); // the crash cut the write short

        Session back = new FileSessionRepository(crashed).find(s.id()).orElseThrow();
        assertEquals(20, back.messages().size());
        assertEquals(Message.user("message 19"), back.messages().getLast());
    }

    @Test
    void aCorruptFileIsReportedAndSkippedNeverFatal() throws IOException {
        var repo = new FileSessionRepository(dataDir);
        Session good = repo.create(session("good"));
        String badId = SessionIds.newId();
        Path bad = dataDir.resolve("sessions").resolve(badId + ".json");
        Files.writeString(bad, "{\"version\":1,\"id\":\"" + badId + "\",\"messages\":[{\"role\":\"user\"");
        Files.writeString(dataDir.resolve("sessions").resolve("notes.json"), "not a session, not ours");

        assertEquals(
                List.of(good.id()), repo.list().stream().map(SessionSummary::id).toList());
        assertThrows(CorruptSessionException.class, () -> repo.find(badId));
        assertTrue(Files.exists(bad), "never deleted behind the user's back");
        assertTrue(repo.delete(badId), "but the user may delete it");
    }

    @Test
    void concurrentUpdatesOfOneSessionAreNeverLost() throws Exception {
        var repo = new FileSessionRepository(dataDir);
        Session s = repo.create(session("busy"));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        String text = thread + "-" + i;
                        repo.update(s.id(), x -> x.append(List.of(Message.user(text))));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertEquals(160, repo.find(s.id()).orElseThrow().messages().size());
    }

    @Test
    void anUnusableDirectoryMakesTheStoreNotReadyInsteadOfFailing() throws IOException {
        Files.writeString(dataDir.resolve("sessions"), "a file where the directory should be");
        var repo = new FileSessionRepository(dataDir);
        assertFalse(repo.isReady());
    }

    @Test
    void listsNewestFirstAndDeletes() {
        var repo = new FileSessionRepository(dataDir);
        Session a = repo.create(session("a"));
        Session b = repo.create(session("b"));
        repo.update(a.id(), x -> x.withName("a2"));
        assertEquals(
                List.of(a.id(), b.id()),
                repo.list().stream().map(SessionSummary::id).toList());
        assertTrue(repo.delete(a.id()));
        assertFalse(repo.delete(a.id()));
        assertTrue(repo.find(a.id()).isEmpty());
    }

    @Test
    void memoryHoldsABoundedNumberOfSessionsButNeverDropsAStagedChangeOrAFileThatIsBehind() {
        var repo = new FileSessionRepository(dataDir, SessionSettings.DEFAULT, SessionJournal.CHECKPOINT_BYTES, 10);
        Instant now = Instant.now();
        Session staged = repo.create(new Session(SessionIds.newId(), "staged", null, null, now, now, List.of()));
        repo.flush();
        repo.stage(staged.id(), s -> s.append(List.of(Message.user("only in memory"))));
        List<Session> others = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            others.add(repo.create(new Session(SessionIds.newId(), "s" + i, null, null, now, now, List.of())));
        }
        repo.flush(); // their files are written: they may be dropped now
        for (Session s : others) {
            assertEquals(
                    s.name(), repo.find(s.id()).orElseThrow().name(), "a dropped session is read from its file again");
            assertTrue(repo.cachedSessions() <= 10, "at most 10 sessions in memory: " + repo.cachedSessions());
        }
        assertEquals(
                List.of(Message.user("only in memory")),
                repo.find(staged.id()).orElseThrow().messages(),
                "the staged change is still there");
        repo.update(staged.id(), s -> s.append(List.of(Message.assistant("answer"))));
        assertEquals(41, repo.list().size());
        assertEquals(
                2,
                new FileSessionRepository(dataDir)
                        .find(staged.id())
                        .orElseThrow()
                        .messages()
                        .size());
    }

    @Test
    void memoryKeepsTheSessionsInUseAndDropsTheLeastRecentlyUsed() {
        var repo = new FileSessionRepository(dataDir, SessionSettings.DEFAULT, SessionJournal.CHECKPOINT_BYTES, 10);
        Instant now = Instant.now();
        List<Session> active = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            active.add(repo.create(new Session(SessionIds.newId(), "active" + i, null, null, now, now, List.of())));
        }
        List<Session> idle = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            idle.add(repo.create(new Session(SessionIds.newId(), "idle" + i, null, null, now, now, List.of())));
            repo.flush(); // files written: sessions may be dropped
            for (Session s : active) {
                assertTrue(repo.isCached(s.id()), "a session in use stays in memory (round " + i + ")");
                assertTrue(repo.find(s.id()).isPresent()); // in use again
            }
            assertTrue(repo.cachedSessions() <= 10, "at most 10 sessions in memory: " + repo.cachedSessions());
        }
        assertFalse(repo.isCached(idle.getFirst().id()), "the least recently used were dropped");
        assertEquals("idle0", repo.find(idle.getFirst().id()).orElseThrow().name(), "and are read from their files");
    }
}
