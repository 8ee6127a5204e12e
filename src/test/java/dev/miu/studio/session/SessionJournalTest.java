package dev.miu.studio.session;

import dev.miu.config.SessionSettings;
import dev.miu.core.message.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session journal: a write is in the journal when it returns, a restart after a crash rewrites the sessions it
 * holds (files lost or stale are restored, deletions stay deleted), a torn tail is ignored, and concurrent writers
 * share flushes without losing a record.
 */
@Timeout(60)
class SessionJournalTest {

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
        return new Session(SessionIds.newId(), name, null, null, now, now, List.of());
    }

    private Path journal() {
        return dataDir.resolve("sessions.journal");
    }

    private Path file(Session s) {
        return dataDir.resolve("sessions").resolve(s.id() + ".json");
    }

    @Test
    void aRestartRestoresSessionsWhoseFilesWereLostOrStaleFromTheJournal() throws IOException {
        var repo = new FileSessionRepository(dataDir);
        Session lost = repo.create(session("lost"));
        repo.update(lost.id(), s -> s.append(List.of(Message.user("keep me"))));
        Session stale = repo.create(session("stale"));
        repo.flush();
        String staleBefore = Files.readString(file(stale));
        repo.update(stale.id(), s -> s.append(List.of(Message.user("newest"))));
        assertTrue(Files.size(journal()) > 0, "writes are journaled");
        repo.flush();

        // what a crash before the checkpoint may leave: a file never flushed, another with old content
        Files.delete(file(lost));
        Files.writeString(file(stale), staleBefore);

        var restarted = new FileSessionRepository(dataDir);
        assertEquals(
                List.of(Message.user("keep me")),
                restarted.find(lost.id()).orElseThrow().messages());
        assertEquals(
                List.of(Message.user("newest")),
                restarted.find(stale.id()).orElseThrow().messages());
        assertEquals(
                0,
                recordsEnd(Files.readAllBytes(journal())),
                "replayed sessions are durable in their files, the journal holds no records");
    }

    @Test
    void aShutdownLeavesEverySessionInItsFileAndNothingToReplay() throws IOException {
        var repo = new FileSessionRepository(dataDir);
        Session kept = repo.create(session("kept"));
        repo.update(kept.id(), s -> s.append(List.of(Message.user("last words"))));
        Session gone = repo.create(session("gone"));
        repo.delete(gone.id());
        assertTrue(Files.size(journal()) > 0);

        repo.shutdown();
        assertEquals(0, Files.size(journal()), "checkpointed: a restart has nothing to replay");
        assertFalse(Files.exists(file(gone)));
        var restarted = new FileSessionRepository(dataDir);
        assertEquals(
                List.of(Message.user("last words")),
                restarted.find(kept.id()).orElseThrow().messages());
        assertTrue(restarted.find(gone.id()).isEmpty());

        repo.update(kept.id(), s -> s.append(List.of(Message.user("after"))));
        assertEquals(
                2,
                new FileSessionRepository(CrashCopy.of(dataDir))
                        .find(kept.id())
                        .orElseThrow()
                        .messages()
                        .size(),
                "the store stays usable and durable after a shutdown checkpoint");
    }

    @Test
    void filesFollowTheirDurableWriteShortlyAndAStartRepairsThemIfTheyDidNot() throws Exception {
        var repo = new FileSessionRepository(dataDir);
        Session s = repo.create(session("behind"));
        for (int i = 0; i < 3; i++) {
            repo.update(s.id(), x -> x.append(List.of(Message.user("quick"))));
        }
        assertEquals(3, repo.find(s.id()).orElseThrow().messages().size(), "served from memory at once");
        assertEquals(
                List.of(s.id()), repo.list().stream().map(SessionSummary::id).toList());
        await("the background writer wrote the file")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(file(s)) && Files.readString(file(s)).contains("quick"));
        await("the file caught up with the last write")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> SessionJson.fromFile(dev.miu.core.json.Json.parseObject(Files.readString(file(s))))
                                .messages()
                                .size()
                        >= 3);

        // a crash right after a durable write: the file has not caught up, the journal has it
        Session other = repo.create(session("crash"));
        repo.update(other.id(), x -> x.append(List.of(Message.user("durable"))));
        Path copy = CrashCopy.of(dataDir);
        Files.deleteIfExists(copy.resolve("sessions").resolve(other.id() + ".json")); // as if not written yet
        assertEquals(
                List.of(Message.user("durable")),
                new FileSessionRepository(copy).find(other.id()).orElseThrow().messages());
    }

    @Test
    void checkpointsWriteTheFilesStillBehindBeforeEmptyingThePreallocatedJournal() throws Exception {
        var repo = new FileSessionRepository(dataDir, 8 * 1024); // a checkpoint every few writes
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sessions.add(repo.create(session("s" + i)));
        }
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (Session s : sessions) {
                done.add(pool.submit(() -> {
                    for (int turn = 0; turn < 30; turn++) {
                        String text = "turn " + turn + " " + "x".repeat(200);
                        repo.update(s.id(), x -> x.append(List.of(Message.user(text))));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        // 6 sessions x 30 writes of growing sessions: many checkpoints; the journal holds only what followed the last
        // (and what came while that one ran in the background: more on a slow disk)
        int journaled = recordsEnd(Files.readAllBytes(journal()));
        assertTrue(journaled < 200 * 1024, "checkpoints emptied the journal (about 600 KB were written): " + journaled);

        // a crash now (files not flushed by us): the files the checkpoints wrote plus the journal give every write back
        Path copy = CrashCopy.of(dataDir);
        var restarted = new FileSessionRepository(copy);
        for (Session s : sessions) {
            List<Message> messages = restarted.find(s.id()).orElseThrow().messages();
            assertEquals(30, messages.size(), "every durable write of " + s.name());
            assertTrue(((dev.miu.core.message.ContentBlock.Text)
                            messages.getLast().content().getFirst())
                    .text()
                    .startsWith("turn 29 "));
        }
    }

    @Test
    void aDeletionStaysDeletedAfterARestart() throws IOException {
        var repo = new FileSessionRepository(dataDir);
        Session s = repo.create(session("gone"));
        repo.flush();
        String content = Files.readString(file(s));
        assertTrue(repo.delete(s.id()));
        Files.writeString(file(s), content); // as if the unlink had not reached the disk

        var restarted = new FileSessionRepository(dataDir);
        assertFalse(restarted.find(s.id()).isPresent());
        assertFalse(Files.exists(file(s)));
    }

    @Test
    void aTornOrDamagedTailIsIgnored() throws IOException {
        var repo = new FileSessionRepository(dataDir);
        Session a = repo.create(session("a"));
        int firstEnd = recordsEnd(Files.readAllBytes(journal()));
        repo.update(a.id(), x -> x.append(List.of(Message.user("torn"))));
        byte[] all = Files.readAllBytes(journal());
        int secondEnd = recordsEnd(all);
        assertTrue(all.length > secondEnd, "space is preallocated ahead of the records");
        // the second record cut short before the preallocated zeros, as a crash mid-append leaves it
        byte[] torn = all.clone();
        java.util.Arrays.fill(torn, secondEnd - 3, secondEnd, (byte) 0);
        Files.write(journal(), torn);
        var afterTear = SessionJournal.replay(journal());
        int firstJsonLength = firstEnd - 8 - 4 - a.id().length();
        assertEquals(1, afterTear.size());
        assertEquals(firstJsonLength, afterTear.get(a.id()).length, "the torn record is dropped, the first one kept");

        // a flipped byte in the record: its CRC no longer matches, so it is not replayed
        byte[] damaged = all.clone();
        damaged[secondEnd - 2] ^= 0x55;
        Files.write(journal(), damaged);
        var replayed = SessionJournal.replay(journal());
        assertEquals(1, replayed.size());
        assertEquals(firstJsonLength, replayed.get(a.id()).length, "only the first, intact record");
    }

    @Test
    void aTurnJournalsOnlyItsOwnMessagesAndARestartRebuildsTheWholeSession() throws IOException {
        var repo = new FileSessionRepository(dataDir);
        Session s = repo.create(session("long"));
        for (int turn = 0; turn < 20; turn++) {
            String text = "turn " + turn + " " + "y".repeat(1000);
            repo.update(s.id(), x -> x.append(List.of(Message.user(text), Message.assistant("ok " + text))));
        }
        int before = recordsEnd(Files.readAllBytes(journal()));
        repo.update(s.id(), x -> x.withName("renamed").append(List.of(Message.user("last"))));
        int record = recordsEnd(Files.readAllBytes(journal())) - before;
        assertTrue(record < 1024, "the 41st message is journaled, not the 40 KB session again: " + record + " bytes");

        Path copy = CrashCopy.of(dataDir);
        Files.deleteIfExists(copy.resolve("sessions").resolve(s.id() + ".json")); // only the journal can bring it back
        Session restored = new FileSessionRepository(copy).find(s.id()).orElseThrow();
        assertEquals(
                repo.find(s.id()).orElseThrow(), restored, "the whole session: its first record plus every append");
        assertEquals("renamed", restored.name());
        assertEquals(41, restored.messages().size());
    }

    @Test
    void anAppendedRecordWhoseFirstRecordIsMissingIsSkippedNotMisapplied() throws IOException {
        var repo = new FileSessionRepository(dataDir);
        Session a = repo.create(session("a"));
        int firstEnd = recordsEnd(Files.readAllBytes(journal()));
        repo.update(a.id(), x -> x.append(List.of(Message.user("appended"))));
        Session b = repo.create(session("b"));
        byte[] all = Files.readAllBytes(journal());
        // the journal without a's first (whole) record: its appended record has nothing to apply to
        byte[] cut = java.util.Arrays.copyOfRange(all, firstEnd, all.length);
        Files.write(journal(), cut);
        var replayed = SessionJournal.replay(journal());
        assertEquals(List.of(b.id()), List.copyOf(replayed.keySet()), "a is skipped, b's later record still replays");
    }

    @Test
    void aFullJournalIsCheckpointedInTheBackgroundWhileWritersGoOnInANewOne() throws Exception {
        var checkpointMayRun = new java.util.concurrent.CountDownLatch(1);
        var checkpointed = new java.util.concurrent.CopyOnWriteArrayList<String>();
        Files.createDirectories(journal().getParent());
        var journal = new SessionJournal(
                journal(),
                ids -> {
                    try {
                        checkpointMayRun.await();
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                    checkpointed.addAll(ids);
                },
                1024,
                SessionSettings.DEFAULT);
        Session a = session("a");
        SessionJson.Written last = SessionJson.written(a, null);
        write(journal, last);
        Path retired = SessionJournal.retiredFile(journal());
        int turns = 0;
        while (!Files.exists(retired)) { // past 1 KB the journal is retired; its checkpoint waits on the latch
            assertTrue(++turns < 20, "the journal is retired once it passes its size");
            last = append(journal, last, Message.user("turn " + turns + " " + "x".repeat(300)));
        }

        // the checkpoint is stuck, yet writes go on in the new journal
        last = append(journal, last, Message.user("after the retirement"));
        last = append(journal, last, Message.assistant("and more"));
        Session b = session("b");
        write(journal, SessionJson.written(b, null));

        // a crash now: the retired journal replays, then the new one
        assertEquals(last.session(), replayed(a.id()));
        assertTrue(SessionJournal.replay(journal()).containsKey(b.id()));

        checkpointMayRun.countDown();
        await("the retired journal is deleted after its checkpoint")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> !Files.exists(retired));
        assertEquals(List.of(a.id()), checkpointed, "the retired journal's sessions were made durable first");
        // a's first record in the new journal was written whole, so the new journal alone still has all of a
        assertEquals(last.session(), replayed(a.id()));

        journal.checkpoint();
        assertEquals(0, SessionJournal.replay(journal()).size(), "a shutdown checkpoint leaves nothing to replay");
    }

    /** Journals {@code written} the way the repository does: appended when it only appended, else whole. */
    private static void write(SessionJournal journal, SessionJson.Written written) throws IOException {
        int from = written.appendedFrom();
        byte[] appended = from < 0
                ? null
                : SessionJson.appendText(written, from).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        journal.write(written.session().id(), appended, () -> whole(written));
    }

    private static SessionJson.Written append(SessionJournal journal, SessionJson.Written last, Message message)
            throws IOException {
        SessionJson.Written next = SessionJson.written(last.session().append(List.of(message)), last);
        write(journal, next);
        return next;
    }

    private Session replayed(String id) throws IOException {
        byte[] json = SessionJournal.replay(journal()).get(id);
        return SessionJson.fromFile(
                dev.miu.core.json.Json.parseObject(new String(json, java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static byte[] whole(SessionJson.Written written) {
        return SessionJson.fileText(written).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Where the records end and the zeros begin: each record starts with its body length (then a CRC). */
    private static int recordsEnd(byte[] journal) {
        var buffer = java.nio.ByteBuffer.wrap(journal);
        int at = 0;
        while (at + 8 <= journal.length && buffer.getInt(at) > 0) {
            at += 8 + buffer.getInt(at);
        }
        return at;
    }

    @Test
    void concurrentWritersAllGetTheirRecordsJournaled() throws Exception {
        var repo = new FileSessionRepository(dataDir);
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            sessions.add(repo.create(session("s" + i)));
        }
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (Session s : sessions) {
                done.add(pool.submit(() -> {
                    for (int turn = 0; turn < 10; turn++) {
                        String text = "turn " + turn;
                        repo.update(s.id(), x -> x.append(List.of(Message.user(text))));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        repo.flush();
        var replayed = SessionJournal.replay(journal());
        assertEquals(32, replayed.size());
        for (Session s : sessions) {
            Files.delete(file(s)); // only the journal can bring them back
        }
        var restarted = new FileSessionRepository(dataDir);
        for (Session s : sessions) {
            assertEquals(10, restarted.find(s.id()).orElseThrow().messages().size());
        }
    }

    @Test
    void inIntervalModeAWriteReturnsBeforeTheFlushWhichTheSyncerDoesLater() throws Exception {
        var minute = new SessionSettings(SessionSettings.Sync.INTERVAL, java.time.Duration.ofSeconds(60));
        var journal = new SessionJournal(journal(), ids -> {}, SessionJournal.CHECKPOINT_BYTES, minute);
        Session a = session("a");
        SessionJson.Written last = SessionJson.written(a, null);
        write(journal, last);
        for (int i = 0; i < 5; i++) {
            last = append(journal, last, Message.user("turn " + i));
        }
        // the writes returned without a flush, and a crash of the process now loses nothing: the file has them
        assertTrue(journal.appendedBytes() > 0);
        assertEquals(0, journal.syncedBytes(), "no write waited for a flush");
        assertEquals(last.session(), replayed(a.id()));

        journal.syncAppended(); // what the syncer thread does every interval
        assertEquals(journal.appendedBytes(), journal.syncedBytes());
    }

    @Test
    void theSyncerFlushesWithinTheInterval() throws Exception {
        var fast = new SessionSettings(SessionSettings.Sync.INTERVAL, java.time.Duration.ofMillis(20));
        var journal = new SessionJournal(journal(), ids -> {}, SessionJournal.CHECKPOINT_BYTES, fast);
        SessionJson.Written last = SessionJson.written(session("a"), null);
        write(journal, last);
        for (int turn = 0; turn < 3; turn++) {
            last = append(journal, last, Message.user("turn " + turn));
            long appended = journal.appendedBytes();
            await("the background flush catches up with the appends")
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> journal.syncedBytes() >= appended);
        }
    }

    @Test
    void intervalModeSurvivesARestartLikeEveryWriteIsSynced() throws IOException {
        var settings = new SessionSettings(SessionSettings.Sync.INTERVAL, java.time.Duration.ofSeconds(60));
        var repo = new FileSessionRepository(dataDir, settings);
        Session s = repo.create(session("interval"));
        repo.update(s.id(), x -> x.append(List.of(Message.user("hello"), Message.assistant("hi"))));
        // no flush has run (a minute's interval), yet what the process wrote is in the files a restart reads
        var restarted = new FileSessionRepository(CrashCopy.of(dataDir));
        assertEquals(2, restarted.find(s.id()).orElseThrow().messages().size());
        repo.shutdown();
        assertEquals(0, Files.size(journal()), "a shutdown checkpoints in interval mode too");
    }
}
