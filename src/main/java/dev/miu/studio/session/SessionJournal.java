package dev.miu.studio.session;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;

/**
 * The write-ahead journal that makes session writes durable with group commit: each write appends the whole
 * session's JSON (or a deletion) to one file, and concurrent writers share one fsync, so N turns finishing together
 * cost one disk flush instead of 2N. The session files themselves are written without fsync; they are fsynced in a
 * checkpoint (when the journal passes {@link #CHECKPOINT_BYTES}) before the journal is emptied, and at start-up
 * {@link #replay} rewrites every session the journal holds. Records carry a CRC; a torn tail from a crash is a write
 * nobody was told had succeeded, and is ignored.
 *
 * <p>The file is opened with {@code O_DSYNC} ({@code RandomAccessFile} mode {@code "rwd"}): a batch is one write
 * that returns once its data is on disk. Space is preallocated ahead with zeros ({@link #PREALLOCATE_BYTES} at a
 * time), so such a write changes no file-system metadata and costs a data flush rather than a metadata journal commit;
 * a replay stops at the zeros. Classic file I/O is used on purpose: it ignores thread interrupts, which would close
 * a shared {@code FileChannel} for every writer.
 */
final class SessionJournal {

    private static final System.Logger LOG = System.getLogger(SessionJournal.class.getName());
    static final long CHECKPOINT_BYTES = 32L * 1024 * 1024;
    static final int PREALLOCATE_BYTES = 1024 * 1024;

    /** Makes the session files named by these ids durable (fsync each and the directory), or throws. */
    @FunctionalInterface
    interface Checkpoint {
        void syncFiles(Set<String> ids) throws IOException;
    }

    /** Records that go to disk with one write; their writers wait on {@code written}, and only for their batch. */
    private static final class Batch {
        final List<byte[]> records = new ArrayList<>();
        final Set<String> ids = new HashSet<>();
        final Condition written;
        boolean done;
        IOException failure;

        Batch(Condition written) {
            this.written = written;
        }
    }

    private final Path file;
    private final long checkpointBytes;
    private final Checkpoint checkpoint;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when no flush is running any more (a shutdown checkpoint waits for it). */
    private final Condition idle = lock.newCondition();
    private final Set<String> unsynced = new HashSet<>(); // touched only by the flushing thread
    private Batch open = new Batch(lock.newCondition());
    private boolean flushing;
    private int lastBatchSize;
    /**
     * How long a leader waits for more records when the last batch had several: under load, batches grow and each
     * turn costs less disk work (about 25 % more turns/s at 64 clients here); a lone writer never waits.
     */
    static final long GATHER_NANOS = 200_000;
    private final RandomAccessFile out;
    /** Where the records end and the next batch goes. */
    private long size;
    /** Bytes of the file already written (records, then zeros ahead of them). */
    private long allocated;
    /** Set when an append or fsync failed: a later record after a partial one could never be replayed. */
    private volatile IOException broken;

    SessionJournal(Path file, Checkpoint checkpoint) throws IOException {
        this(file, checkpoint, CHECKPOINT_BYTES);
    }

    /** With another checkpoint size (tests reach checkpoints with a small one). */
    SessionJournal(Path file, Checkpoint checkpoint, long checkpointBytes) throws IOException {
        this.checkpointBytes = checkpointBytes;
        this.file = file;
        this.checkpoint = checkpoint;
        this.out = new RandomAccessFile(file.toFile(), "rwd");
        this.size = out.length(); // replayed and emptied before it is opened, so this is the end of the records
        this.allocated = size;
    }

    /** False once a write to the journal failed; the store then refuses writes until it is restarted. */
    boolean isHealthy() {
        return broken == null;
    }

    /** Appends the new JSON of session {@code id} and returns once it is on disk. */
    void write(String id, byte[] json) throws IOException {
        append(id, json);
    }

    /** Records that session {@code id} is deleted and returns once that is on disk. */
    void delete(String id) throws IOException {
        append(id, new byte[0]);
    }

    private void append(String id, byte[] json) throws IOException {
        byte[] record = encode(id, json);
        lock.lock();
        try {
            Batch mine = open;
            mine.records.add(record);
            mine.ids.add(id);
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
                lastBatchSize = batch.records.size();
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
                throw new IOException("Cannot write the session journal " + file + ": " + mine.failure.getMessage(), mine.failure);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs on one thread at a time (the leader). */
    private void flush(Batch batch) throws IOException {
        int total = 0;
        for (byte[] record : batch.records) {
            total += record.length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] record : batch.records) {
            System.arraycopy(record, 0, all, at, record.length);
            at += record.length;
        }
        if (broken != null) {
            throw broken;
        }
        try {
            preallocate(size + total);
            out.seek(size);
            out.write(all); // O_DSYNC: on disk when this returns
        } catch (IOException e) {
            broken = e; // refuse every later write until a restart replays the good part
            throw e;
        }
        size += total;
        unsynced.addAll(batch.ids);
        if (size > checkpointBytes) {
            try {
                runCheckpoint();
            } catch (IOException e) {
                // this batch is durable in the journal; the checkpoint is tried again after the next batch
                LOG.log(System.Logger.Level.WARNING, "Session checkpoint failed, journal kept: {0}", e.getMessage());
            }
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
            if (size > 0) {
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

    /** Runs on the leader: session files first, fsynced; only then may their records go. */
    private void runCheckpoint() throws IOException {
        long started = System.nanoTime();
        checkpoint.syncFiles(unsynced);
        int files = unsynced.size();
        out.setLength(0);
        // from here the next record goes at 0, even if the sync below fails: its sessions are durable in their files
        size = 0;
        allocated = 0;
        unsynced.clear();
        out.getFD().sync();
        LOG.log(System.Logger.Level.DEBUG, "Session checkpoint: {0} files synced, journal emptied, in {1} ms",
                files, (System.nanoTime() - started) / 1_000_000);
    }

    /** Writes zeros ahead until {@code end} fits, a chunk at a time, so record writes land on allocated blocks. */
    private void preallocate(long end) throws IOException {
        if (end <= allocated) {
            return;
        }
        long target = Math.max(end, allocated + PREALLOCATE_BYTES);
        byte[] zeros = new byte[1024 * 1024];
        out.seek(allocated);
        for (long at = allocated; at < target; at += zeros.length) {
            out.write(zeros, 0, (int) Math.min(zeros.length, target - at));
        }
        allocated = target;
    }

    /** [length][crc32][id length][id][json]: an empty json marks a deletion. */
    private static byte[] encode(String id, byte[] json) {
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        int bodyLength = 4 + idBytes.length + json.length;
        ByteBuffer body = ByteBuffer.allocate(bodyLength).putInt(idBytes.length).put(idBytes).put(json);
        CRC32 crc = new CRC32();
        crc.update(body.array());
        return ByteBuffer.allocate(8 + bodyLength).putInt(bodyLength).putInt((int) crc.getValue()).put(body.array()).array();
    }

    /**
     * The last state of every session in the journal at {@code file}, by id, in journal order: its JSON, or an
     * empty array for a deletion. Stops at the first torn or damaged record.
     */
    static Map<String, byte[]> replay(Path file) throws IOException {
        Map<String, byte[]> last = new LinkedHashMap<>();
        try (InputStream raw = Files.newInputStream(file); var in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
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
                ByteBuffer buffer = ByteBuffer.wrap(body);
                int idLength = buffer.getInt();
                if (idLength <= 0 || idLength > length - 4) {
                    break;
                }
                String id = new String(body, 4, idLength, StandardCharsets.US_ASCII);
                byte[] json = new byte[length - 4 - idLength];
                System.arraycopy(body, 4 + idLength, json, 0, json.length);
                last.remove(id);
                last.put(id, json);
            }
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        return last;
    }

    /** Empties the journal at {@code file} durably (after a replay has made its content durable elsewhere). */
    static void truncate(Path file) throws IOException {
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(0);
            raf.getFD().sync();
        }
    }
}
