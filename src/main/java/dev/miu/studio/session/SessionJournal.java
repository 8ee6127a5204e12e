package dev.miu.studio.session;

import dev.miu.config.SessionSettings;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.zip.CRC32;

/**
 * The write-ahead journal that makes session writes durable with group commit: each write appends a record to one
 * file, and concurrent writers share one flush, so N turns finishing together cost one disk flush instead of 2N.
 * A record is the whole session's JSON, or a deletion, or the messages a write appended (with the session's other
 * fields): a turn then journals its own messages, not the whole history again. A session's first record in a
 * journal file is always whole, so a replay finds every appended record's base in the same file.
 *
 * <p>The session files themselves are written without fsync. When the journal passes {@link #CHECKPOINT_BYTES} it is
 * retired (renamed to {@code <name>.checkpoint}) and a new one takes the writes at once, while a background
 * checkpoint fsyncs the files of the sessions the retired one holds and then deletes it: writers never wait for a
 * checkpoint. At start-up {@link #replay} reads a retired journal (a crash during its checkpoint) and then the
 * current one, and every session they hold is rewritten. Records carry a CRC; a torn tail from a crash is a write
 * nobody was told had succeeded, and is ignored.
 *
 * <p>A batch is one append to the {@link JournalFile}, which returns once its data is on disk (an {@code O_DSYNC}
 * write, {@code O_DIRECT} where the file system allows it, into space preallocated with zeros). In
 * {@link SessionSettings.Sync#INTERVAL} mode it returns once the OS has the data, and a daemon thread flushes the
 * journal every interval ({@link #syncAppended}).
 */
final class SessionJournal {

    private static final System.Logger LOG = System.getLogger(SessionJournal.class.getName());
    static final long CHECKPOINT_BYTES = 32L * 1024 * 1024;
    /** Marks an appended record; a whole session's JSON starts with '{'. */
    private static final byte APPENDED = '+';

    /** Makes the session files named by these ids durable (fsync each and the directory), or throws. */
    @FunctionalInterface
    interface Checkpoint {
        void syncFiles(Set<String> ids) throws IOException;
    }

    /**
     * A session's new state for the journal: {@code appended} (the JSON of what it appended to its previous record;
     * null if it did not only append) or, when that record is not in the journal, {@code whole} (its JSON); empty
     * JSON marks a deletion.
     */
    private record Entry(String id, byte[] appended, Supplier<byte[]> whole) {}

    /** Records that go to disk with one write; their writers wait on {@code written}, and only for their batch. */
    private static final class Batch {
        final List<Entry> entries = new ArrayList<>();
        final Condition written;
        boolean done;
        IOException failure;

        Batch(Condition written) {
            this.written = written;
        }
    }

    /** A retired journal: its sessions' files are being made durable by {@code thread}, then it is deleted. */
    private record Retired(JournalFile out, Set<String> ids, Thread thread) {}

    private final Path file;
    /** Where a full journal goes while its sessions' files are checkpointed. */
    private final Path retiredFile;

    private final long checkpointBytes;
    private final Checkpoint checkpoint;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when no flush is running any more (a shutdown checkpoint waits for it). */
    private final Condition idle = lock.newCondition();
    /** Sessions with a record in the journal, whose files a checkpoint must sync; touched only by the flushing thread. */
    private Set<String> unsynced = new HashSet<>();
    /** The batch being encoded, reused: touched only by the flushing thread. */
    private byte[] encoded = new byte[64 * 1024];

    private Batch open = new Batch(lock.newCondition());
    private boolean flushing;
    private int lastBatchSize;
    /**
     * How long a leader waits for more records when the last batch had several: under load, batches grow and each
     * turn costs less disk work (about 25 % more turns/s at 64 clients here); a lone writer never waits.
     */
    static final long GATHER_NANOS = 200_000;
    /** Read by the syncer thread too (interval mode); replaced only by the leader, in {@link #rotate()}. */
    private volatile JournalFile out;
    /** Whether each append is on disk when it returns; else {@link #syncEvery} flushes the journal. */
    private final boolean syncEachWrite;
    /** Bytes appended since the journal was opened (all files): the syncer flushes when this moved. */
    private volatile long appendedBytes;
    /** {@link #appendedBytes} at the syncer's last flush; only the syncer writes it. */
    private volatile long syncedBytes;
    /** A retired journal whose checkpoint is running or failed; null when there is none. */
    private volatile Retired retired;
    /** Set when an append or fsync failed: a later record after a partial one could never be replayed. */
    private volatile IOException broken;

    SessionJournal(Path file, Checkpoint checkpoint) throws IOException {
        this(file, checkpoint, CHECKPOINT_BYTES, SessionSettings.DEFAULT);
    }

    /**
     * With another checkpoint size (tests reach checkpoints with a small one) and sync mode. In
     * {@link SessionSettings.Sync#INTERVAL} mode a daemon thread flushes the journal every interval, for the life
     * of the process; it only touches the disk when something was appended.
     */
    SessionJournal(Path file, Checkpoint checkpoint, long checkpointBytes, SessionSettings settings)
            throws IOException {
        this.checkpointBytes = checkpointBytes;
        this.file = file;
        this.retiredFile = retiredFile(file);
        this.checkpoint = checkpoint;
        this.syncEachWrite = settings.sync() == SessionSettings.Sync.ALWAYS;
        // replayed and emptied before it is opened: appends go at its end
        this.out = JournalFile.open(file, true, syncEachWrite);
        if (!syncEachWrite) {
            Duration interval = settings.syncInterval();
            Thread.ofPlatform().daemon().name("miu-session-sync").start(() -> syncEvery(interval));
        }
    }

    /** Interval mode: flushes the journal to disk every {@code interval} when records were appended since the last time. */
    private void syncEvery(Duration interval) {
        while (true) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return; // nobody interrupts it but an embedding program that wants it gone
            }
            syncAppended();
        }
    }

    /** Flushes the journal to disk if records were appended since the last flush (interval mode). */
    void syncAppended() {
        long appended = appendedBytes;
        if (appended == syncedBytes || broken != null) {
            return;
        }
        JournalFile current = out;
        try {
            current.sync();
            syncedBytes = appended;
        } catch (IOException e) {
            if (current != out) {
                syncedBytes = appended; // retired meanwhile: its checkpoint fsyncs the files of its sessions
                return;
            }
            // after a failed flush the OS may have dropped the pages: refuse writes rather than pretend
            broken = e;
            LOG.log(
                    System.Logger.Level.ERROR,
                    "Cannot flush the session journal " + file + "; the store refuses writes until miu is restarted: "
                            + e.getMessage());
        }
    }

    /** Bytes appended since the journal was opened. */
    long appendedBytes() {
        return appendedBytes;
    }

    /** How many of {@link #appendedBytes()} the interval flush has put on disk (0 when each write syncs itself). */
    long syncedBytes() {
        return syncedBytes;
    }

    /** False once a write to the journal failed; the store then refuses writes until it is restarted. */
    boolean isHealthy() {
        return broken == null;
    }

    /**
     * Records the new state of session {@code id} and returns once it is on disk (in interval mode: once the OS has
     * it, and on disk within the interval): {@code appended} (see
     * {@link SessionJson#appendText}) when the session only appended to its last write and that write's record is
     * still in the journal, else its whole JSON from {@code whole} (called at most once, maybe on another thread).
     */
    void write(String id, byte[] appended, Supplier<byte[]> whole) throws IOException {
        append(new Entry(id, appended, whole));
    }

    /** Records that session {@code id} is deleted and returns once that is on disk (see {@link #write}). */
    void delete(String id) throws IOException {
        append(new Entry(id, null, () -> new byte[0]));
    }

    private void append(Entry entry) throws IOException {
        lock.lock();
        try {
            Batch mine = open;
            mine.entries.add(entry);
            while (!mine.done) {
                if (flushing) {
                    // woken when this batch is written, or to lead it once the flush before it is done
                    mine.written.awaitUninterruptibly();
                    continue;
                }
                // lead: everything queued so far goes to disk with one write
                flushing = true;
                if (lastBatchSize > 1) {
                    // others are writing too: a moment's wait lets more of them share this write
                    lock.unlock();
                    try {
                        Thread.sleep(java.time.Duration.ofNanos(GATHER_NANOS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // a cancelled turn still finishes its write
                    } finally {
                        lock.lock();
                    }
                }
                Batch batch = open;
                lastBatchSize = batch.entries.size();
                open = new Batch(lock.newCondition());
                lock.unlock();
                IOException failure = null;
                try {
                    flush(batch);
                } catch (IOException e) {
                    failure = e;
                } finally {
                    lock.lock();
                }
                batch.failure = failure;
                batch.done = true;
                flushing = false;
                batch.written.signalAll();
                open.written.signal(); // one writer of the next batch (if any) leads it
                idle.signalAll();
            }
            if (mine.failure != null) {
                throw new IOException(
                        "Cannot write the session journal " + file + ": " + mine.failure.getMessage(), mine.failure);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs on one thread at a time (the leader). */
    private void flush(Batch batch) throws IOException {
        if (broken != null) {
            throw broken;
        }
        int total = 0;
        List<String> ids = new ArrayList<>(batch.entries.size());
        try {
            for (Entry entry : batch.entries) {
                // an appended record needs its session's previous record in the journal: a checkpoint may have emptied
                // it
                boolean appended = entry.appended() != null && unsynced.contains(entry.id());
                total = encode(
                        entry.id(), appended ? entry.appended() : entry.whole().get(), appended, total);
                ids.add(entry.id());
            }
        } catch (RuntimeException e) {
            throw new IOException("Cannot encode a session record: " + e, e); // nothing written: the journal stays good
        }
        try {
            out.append(encoded, total); // on disk when this returns, or with the OS in interval mode
        } catch (IOException e) {
            broken = e; // refuse every later write until a restart replays the good part
            throw e;
        }
        appendedBytes += total; // only the leader writes it
        unsynced.addAll(ids);
        if (out.size > checkpointBytes) {
            rotate();
        }
    }

    /**
     * Retires the full journal and opens a new one for the next batch, then checkpoints the retired one in the
     * background. While an earlier checkpoint is still running the journal just grows; one that failed is retried.
     * Runs on the leader, after its batch is durable: a failure here is logged, and the journal stays as it was.
     */
    private void rotate() {
        Retired previous = retired;
        if (previous != null) {
            if (!previous.thread().isAlive()) {
                startCheckpoint(previous.out(), previous.ids()); // it failed: again
            }
            return;
        }
        JournalFile next;
        try {
            Files.move(file, retiredFile, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "Cannot retire the session journal for a checkpoint, it keeps growing: {0}",
                    e.getMessage());
            return;
        }
        try {
            next = JournalFile.open(file, out.isDirect(), syncEachWrite);
            syncDirectory(file.getParent()); // both names durable before a record lands in the new file
        } catch (IOException e) {
            try {
                Files.move(retiredFile, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            LOG.log(
                    System.Logger.Level.WARNING,
                    "Cannot open a new session journal, the old one keeps growing: {0}",
                    e.getMessage());
            return;
        }
        startCheckpoint(out, unsynced);
        out = next;
        unsynced = new HashSet<>();
    }

    /** Sets {@link #retired} before its thread starts: the thread clears it when it succeeds. */
    private Retired startCheckpoint(JournalFile old, Set<String> ids) {
        Thread thread = Thread.ofPlatform()
                .daemon()
                .name("miu-session-checkpoint")
                .unstarted(() -> {
                    try {
                        finishCheckpoint(old, ids);
                    } catch (IOException e) {
                        LOG.log(
                                System.Logger.Level.WARNING,
                                "Session checkpoint failed, retired journal kept: {0}",
                                e.getMessage());
                    }
                });
        Retired started = new Retired(old, ids, thread);
        retired = started;
        thread.start();
        return started;
    }

    /** The files of the retired journal's sessions made durable, then the retired journal deleted. */
    private void finishCheckpoint(JournalFile old, Set<String> ids) throws IOException {
        long started = System.nanoTime();
        if (!syncEachWrite) {
            old.sync(); // interval mode: the syncer only flushes the current journal, so its last records go now
        }
        checkpoint.syncFiles(ids);
        old.close();
        Files.deleteIfExists(retiredFile);
        syncDirectory(file.getParent());
        retired = null;
        LOG.log(
                System.Logger.Level.DEBUG,
                "Session checkpoint: {0} files synced, retired journal deleted, in {1} ms",
                ids.size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Waits for a background checkpoint, and runs it here if it failed. */
    private void awaitRetired() throws IOException {
        Retired previous = retired;
        if (previous == null) {
            return;
        }
        boolean interrupted = false;
        while (previous.thread().isAlive()) {
            try {
                previous.thread().join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (retired != null) {
            finishCheckpoint(previous.out(), previous.ids());
        }
    }

    /**
     * Makes every journaled session durable in its own file and empties the journal now (at shutdown), so the next
     * start has nothing to replay. Waits for a flush in progress; writers wait for this one.
     */
    void checkpoint() throws IOException {
        lock.lock();
        try {
            while (flushing) {
                idle.awaitUninterruptibly();
            }
            flushing = true;
        } finally {
            lock.unlock();
        }
        try {
            if (broken != null) {
                throw broken;
            }
            awaitRetired();
            if (out.size > 0) {
                runCheckpoint();
            }
        } finally {
            lock.lock();
            try {
                flushing = false;
                open.written.signal(); // writers that queued meanwhile: one of them leads
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Runs while no batch is written: session files first, fsynced; only then may their records go. */
    private void runCheckpoint() throws IOException {
        long started = System.nanoTime();
        checkpoint.syncFiles(unsynced);
        int files = unsynced.size();
        out.empty(); // from here the next record goes at 0: its sessions are durable in their files
        unsynced.clear();
        LOG.log(
                System.Logger.Level.DEBUG,
                "Session checkpoint: {0} files synced, journal emptied, in {1} ms",
                files,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Encodes a record into {@link #encoded} at {@code at} and returns where it ends: [length][crc32][id length][id]
     * [json], where empty json marks a deletion and an appended record's json follows the byte {@link #APPENDED}.
     */
    private int encode(String id, byte[] json, boolean appended, int at) {
        int bodyLength = 4 + id.length() + (appended ? 1 : 0) + json.length;
        int end = at + 8 + bodyLength;
        if (end > encoded.length) {
            encoded = java.util.Arrays.copyOf(encoded, Math.max(end, encoded.length * 2));
        }
        ByteBuffer record = ByteBuffer.wrap(encoded, at, 8 + bodyLength);
        record.putInt(bodyLength).putInt(0).putInt(id.length()).put(id.getBytes(StandardCharsets.US_ASCII));
        if (appended) {
            record.put(APPENDED);
        }
        record.put(json);
        CRC32 crc = new CRC32();
        crc.update(encoded, at + 8, bodyLength);
        ByteBuffer.wrap(encoded).putInt(at + 4, (int) crc.getValue());
        return end;
    }

    /**
     * The last state of every session in the journal at {@code file}, by id, in journal order: its whole JSON, or an
     * empty array for a deletion. Appended records are applied to the session's earlier record; one whose base is
     * not there is logged and skipped. Stops at the first torn or damaged record.
     */
    static Map<String, byte[]> replay(Path file) throws IOException {
        Map<String, Object> last = new LinkedHashMap<>(); // whole JSON (byte[]) or a session being rebuilt
        replay(retiredFile(file), last); // older: a crash came while its checkpoint ran
        replay(file, last);
        Map<String, byte[]> whole = new LinkedHashMap<>();
        last.forEach((id, state) -> whole.put(
                id,
                state instanceof SessionJson.Rebuilt rebuilt
                        ? rebuilt.fileText().getBytes(StandardCharsets.UTF_8)
                        : (byte[]) state));
        return whole;
    }

    private static void replay(Path file, Map<String, Object> last) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                var in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
            while (true) {
                int length;
                int crc;
                byte[] body;
                try {
                    length = in.readInt();
                    crc = in.readInt();
                    if (length < 4 || length > 1 << 30) {
                        break;
                    }
                    body = in.readNBytes(length);
                } catch (EOFException e) {
                    break;
                }
                if (body.length < length) {
                    break;
                }
                CRC32 check = new CRC32();
                check.update(body);
                if ((int) check.getValue() != crc) {
                    break;
                }
                int idLength = ByteBuffer.wrap(body).getInt();
                if (idLength <= 0 || idLength > length - 4) {
                    break;
                }
                String id = new String(body, 4, idLength, StandardCharsets.US_ASCII);
                int at = 4 + idLength;
                if (at < length && body[at] == APPENDED) {
                    String appended = new String(body, at + 1, length - at - 1, StandardCharsets.UTF_8);
                    SessionJson.Rebuilt rebuilt = rebuild(last.get(id));
                    if (rebuilt == null || !rebuilt.append(appended)) {
                        LOG.log(
                                System.Logger.Level.WARNING,
                                "Session journal: a record of session {0} appends to a "
                                        + "state the journal does not hold; skipped",
                                id);
                        continue;
                    }
                    last.remove(id);
                    last.put(id, rebuilt);
                } else {
                    last.remove(id);
                    last.put(id, java.util.Arrays.copyOfRange(body, at, length));
                }
            }
        } catch (NoSuchFileException e) {
            // no such journal: nothing to replay
        }
    }

    static Path retiredFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".checkpoint");
    }

    /** Makes renames and deletions in {@code dir} durable. Not every platform can open a directory; there they have to do. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    /** The session being rebuilt from {@code state} (its whole JSON or one already rebuilt); null if there is none. */
    private static SessionJson.Rebuilt rebuild(Object state) {
        if (state instanceof SessionJson.Rebuilt rebuilt) {
            return rebuilt;
        }
        if (state instanceof byte[] json && json.length > 0) {
            try {
                return new SessionJson.Rebuilt(new String(json, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Empties the journal at {@code file} and deletes a retired one, durably (after a replay has made their content
     * durable elsewhere).
     */
    static void truncate(Path file) throws IOException {
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(0);
            raf.getFD().sync();
        }
        if (Files.deleteIfExists(retiredFile(file))) {
            syncDirectory(file.getParent());
        }
    }
}
