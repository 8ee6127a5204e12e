package dev.miu.studio.session;

import dev.miu.config.SessionSettings;
import dev.miu.core.json.Json;
import jakarta.json.JsonObject;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * One JSON file per session under {@code DATA_DIR/sessions}, named by its UUID. A write returns once it is durable:
 * the session's JSON is appended to the {@link SessionJournal} ({@code DATA_DIR/sessions.journal}), whose fsync
 * concurrent writes share (group commit). The session's file follows shortly after ({@link #FILE_DELAY_MILLIS}),
 * written by a background writer that coalesces a session's rapid writes into one. That writer overwrites the file
 * in place: a temporary file and a rename per write made the file system allocate and free an inode each time,
 * which was the largest kernel cost under load. A file is only ever overwritten with JSON whose journal record is
 * on disk, and the journal keeps that record until a checkpoint has fsynced the file, so a file torn by a crash is
 * always rewritten whole from the journal at the next start. The files are fsynced at the journal's checkpoints
 * before it is emptied, and a start after a crash rewrites every session the journal holds (then through a
 * temporary file and a rename). Sessions are kept in memory: one whose file is behind (or being written) is served
 * from memory, the others are re-read only when their file's identity, size or time changes (an edit from outside).
 * A {@linkplain #stage staged} change lives only in memory until the session's next write.
 * One server per data directory: a second process fails to open a store another holds ({@link StoreLock}). A file
 * that cannot be read is reported once and skipped by {@link #list()}; it is never deleted or overwritten behind
 * the user's back.
 */
public final class FileSessionRepository implements SessionRepository {

    private static final System.Logger LOG = System.getLogger(FileSessionRepository.class.getName());
    private static final String SUFFIX = ".json";
    private static final int STRIPES = 64;
    /** How long a session's file may lag its durable journal record; a session's writes in this time cost one file write. */
    static final long FILE_DELAY_MILLIS = 500;
    /**
     * Sessions kept in memory beyond those whose file is behind or that hold a staged change: past this, sessions
     * whose file has all of them are dropped (a later read loads the file again).
     */
    static final int MAX_CACHED = 10_000;
    /** Threads that write and fsync session files at a journal checkpoint. */
    private static final int CHECKPOINT_THREADS = 16;

    private final Path dir;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    /** Held while a session's file is written or deleted; never held while waiting for the journal. */
    private final ReentrantLock[] fileLocks = new ReentrantLock[STRIPES];
    /** Sessions whose file is behind their journal record. */
    private final Set<String> pendingFiles = ConcurrentHashMap.newKeySet();

    private final java.util.concurrent.Semaphore filesWanted = new java.util.concurrent.Semaphore(0);
    /** Corrupt files already reported, by path and modification time, so the log is not flooded on every list. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final int maxCached;
    /** The size at which memory is scanned again after a scan that could not drop enough. */
    private volatile int nextEviction;

    private final SessionJournal journal;
    private volatile String problem;

    /** When a cached session was last read or changed ({@link System#nanoTime}): memory keeps the recent ones. */
    private static final class LastUse {
        volatile long nanos = System.nanoTime();

        void touch() {
            nanos = System.nanoTime();
        }
    }

    /**
     * A session as read, written or staged, and the file attributes it matches. {@code journaled} is its last durable
     * write (null when read from its file: the next write is then journaled whole); {@code behind} says the file
     * still lacks it; {@code staged} that {@code session} holds a change kept only here; {@code lastUse} when it was
     * last read or changed.
     */
    private record Cached(
            Session session,
            Object fileKey,
            FileTime modified,
            long size,
            SessionJson.Written journaled,
            boolean behind,
            boolean staged,
            LastUse lastUse) {
        static Cached ofFile(Session session, BasicFileAttributes attributes) {
            return new Cached(
                    session,
                    attributes.fileKey(),
                    attributes.lastModifiedTime(),
                    attributes.size(),
                    null,
                    false,
                    false,
                    new LastUse());
        }

        /** The session, noted as just used. */
        Session use() {
            lastUse.touch();
            return session;
        }

        /** Whether dropping it loses nothing: its file holds all of it. */
        boolean evictable() {
            return !behind && !staged;
        }

        boolean matches(BasicFileAttributes attributes) {
            return attributes.size() == size
                    && attributes.lastModifiedTime().equals(modified)
                    && java.util.Objects.equals(attributes.fileKey(), fileKey);
        }

        /** This entry without its staged change (null when only its file holds the stored session). */
        Cached durable() {
            if (!staged) {
                return this;
            }
            return journaled == null
                    ? null
                    : new Cached(journaled.session(), fileKey, modified, size, journaled, behind, false, lastUse);
        }

        Cached with(Session changed) {
            return new Cached(changed, fileKey, modified, size, journaled, behind, true, new LastUse());
        }
    }

    public FileSessionRepository(Path dataDir) {
        this(dataDir, SessionSettings.DEFAULT);
    }

    /**
     * Sessions under {@code dataDir}, written to disk as {@code settings} say.
     *
     * @throws dev.miu.core.ConfigurationException another process has this store open
     */
    public FileSessionRepository(Path dataDir, SessionSettings settings) {
        this(dataDir, settings, SessionJournal.CHECKPOINT_BYTES, MAX_CACHED);
    }

    /** With another journal checkpoint size (tests reach checkpoints with a small one). */
    FileSessionRepository(Path dataDir, long checkpointBytes) {
        this(dataDir, SessionSettings.DEFAULT, checkpointBytes, MAX_CACHED);
    }

    /** With another checkpoint size and bound on the sessions kept in memory. */
    FileSessionRepository(Path dataDir, SessionSettings settings, long checkpointBytes, int maxCached) {
        this.maxCached = maxCached;
        this.dir = dataDir.resolve("sessions").toAbsolutePath();
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
            fileLocks[i] = new ReentrantLock();
        }
        SessionJournal opened = null;
        try {
            Files.createDirectories(dir);
            StoreLock.acquire(dir.resolveSibling("sessions.lock"), dir); // another server's store fails the start here
            removeLeftoverTempFiles();
            Path journalFile = dir.resolveSibling("sessions.journal");
            recover(journalFile);
            opened = new SessionJournal(journalFile, this::syncFiles, checkpointBytes, settings);
        } catch (IOException e) {
            // The server still starts; /ready says what is wrong and each request gets a clear error.
            problem = "Cannot create the session directory " + dir + " or its journal: " + e;
            LOG.log(System.Logger.Level.ERROR, problem);
        }
        journal = opened;
        Thread.ofVirtual().name("miu-session-files").start(this::writeFilesBehind);
    }

    @Override
    public Session create(Session session) {
        ReentrantLock lock = lockFor(session.id());
        lock.lock();
        try {
            if (cache.containsKey(session.id()) || Files.exists(file(session.id()))) {
                throw new IllegalStateException("Session " + session.id() + " already exists");
            }
            write(session);
            return session;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Session> find(String id) {
        requireValid(id);
        Cached known = cache.get(id);
        if (known != null && known.behind()) {
            return Optional.of(known.use()); // its file is behind: no need for its path
        }
        Path file = file(id);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Cached cached = cache.get(id);
            if (cached != null && cached.matches(attributes)) {
                return Optional.of(cached.use());
            }
            var read = Cached.ofFile(read(file), attributes);
            // an entry written or staged meanwhile is newer: keep it
            Session found = cache.compute(
                            id,
                            (key, current) -> current != null && (current.behind() || current.matches(attributes))
                                    ? current
                                    : read)
                    .session();
            evictIfFull(false);
            return Optional.of(found);
        } catch (NoSuchFileException e) {
            Cached now = cache.computeIfPresent(id, (key, current) -> current.behind() ? current : null);
            return now == null ? Optional.empty() : Optional.of(now.use()); // created meanwhile, file to follow
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read session " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<SessionSummary> list() {
        Map<String, SessionSummary> out = new java.util.HashMap<>();
        cache.forEach((id, cached) -> {
            if (cached.behind()) {
                out.put(id, cached.session().summary()); // its file is behind or not written yet
            }
        });
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String id = name.substring(0, name.length() - SUFFIX.length());
                if (!SessionIds.isValid(id) || out.containsKey(id)) {
                    continue; // not ours, or known newer
                }
                try {
                    find(id).ifPresent(s -> out.put(id, s.summary()));
                } catch (UncheckedIOException | CorruptSessionException e) {
                    reportOnce(file, e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list sessions in " + dir + ": " + e.getMessage(), e);
        }
        List<SessionSummary> sorted = new ArrayList<>(out.values());
        sorted.sort(Comparator.comparing(SessionSummary::updatedAt)
                .thenComparing(SessionSummary::createdAt)
                .reversed());
        return sorted;
    }

    @Override
    public Optional<Session> update(String id, UnaryOperator<Session> change) {
        return change(id, change, this::write);
    }

    @Override
    public Optional<Session> stage(String id, UnaryOperator<Session> change) {
        // same file attributes and journaled write: find() answers the staged session, the file gets the durable one
        return change(id, change, staged -> cache.computeIfPresent(id, (key, known) -> known.with(staged)));
    }

    /** Under the session's lock: the current session, changed, then kept by {@code keep}; empty if there is none. */
    private Optional<Session> change(
            String id, UnaryOperator<Session> change, java.util.function.Consumer<Session> keep) {
        ReentrantLock lock = lockFor(id);
        lock.lock();
        try {
            Optional<Session> current = find(id);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Session changed = change.apply(current.get());
            if (!changed.id().equals(id)) {
                throw new IllegalArgumentException("An update cannot change a session's id");
            }
            keep.accept(changed);
            return Optional.of(changed);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean delete(String id) {
        ReentrantLock lock = lockFor(id);
        lock.lock();
        try {
            Path file = file(id);
            if (!cache.containsKey(id) && !Files.exists(file)) {
                return false;
            }
            journal().delete(id); // durable first: a restart must not bring the session back
            ReentrantLock fileLock = fileLockFor(id);
            fileLock.lock();
            try {
                cache.remove(id);
                pendingFiles.remove(id);
                Files.deleteIfExists(file);
                return true;
            } finally {
                fileLock.unlock();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete session " + id + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** How many sessions are in memory now (tests check the bound). */
    int cachedSessions() {
        return cache.size();
    }

    @Override
    public boolean isReady() {
        return problem == null
                && journal != null
                && journal.isHealthy()
                && Files.isDirectory(dir)
                && Files.isWritable(dir);
    }

    @Override
    public String describe() {
        return dir.toString();
    }

    private Path file(String id) {
        requireValid(id);
        return dir.resolve(id.toLowerCase(java.util.Locale.ROOT) + SUFFIX);
    }

    private static void requireValid(String id) {
        if (!SessionIds.isValid(id)) {
            throw new IllegalArgumentException("Not a session id: " + id);
        }
    }

    private ReentrantLock lockFor(String id) {
        return locks[Math.floorMod(id.hashCode(), STRIPES)];
    }

    private ReentrantLock fileLockFor(String id) {
        return fileLocks[Math.floorMod(id.hashCode(), STRIPES)];
    }

    private Session read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            JsonObject json = Json.parseObject(text);
            Session session = SessionJson.fromFile(json);
            String expected = file.getFileName().toString().replace(SUFFIX, "");
            if (!session.id().equals(expected)) {
                throw new IllegalArgumentException("its id " + session.id() + " does not match the file name");
            }
            return session;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CorruptSessionException("Session file " + file + " is corrupt: " + e.getMessage(), e);
        }
    }

    /**
     * Makes the session visible in memory, durable through the journal, and leaves its file to the background
     * writer. A checkpoint, which empties the journal, first writes and fsyncs the files still behind.
     */
    private void write(Session session) {
        String id = session.id();
        Cached before = cache.get(id);
        SessionJson.Written previous = before == null ? null : before.journaled();
        // the JSON of the messages it shares with its last write is reused; only its own messages are serialized
        SessionJson.Written written = SessionJson.written(session, previous);
        int from = written.appendedFrom();
        byte[] appended =
                from < 0 ? null : SessionJson.appendText(written, from).getBytes(StandardCharsets.UTF_8);
        cache.put(
                id,
                before == null
                        ? new Cached(session, null, null, -1, written, true, false, new LastUse())
                        : new Cached(
                                session,
                                before.fileKey(),
                                before.modified(),
                                before.size(),
                                written,
                                true,
                                false,
                                new LastUse()));
        try {
            journal().write(id, appended, () -> SessionJson.fileText(written).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // not durable, so not stored: readers go back to what is stored, without a staged change either
            Cached stored = before == null ? null : before.durable();
            if (stored == null) {
                cache.remove(id); // its file (if any) holds what is stored
            } else {
                cache.put(id, stored);
            }
            throw new UncheckedIOException("Cannot save session " + id + " in " + dir + ": " + e.getMessage(), e);
        }
        if (pendingFiles.add(id)) {
            filesWanted.release();
        }
        evictIfFull(false);
    }

    /**
     * Past {@link #maxCached} sessions in memory, drops those whose file holds all of them, least recently used
     * first, until a tenth is free. A session is only dropped under its lock, so never in the middle of a change to
     * it. After a scan that could not free enough, readers and writers scan again only once another tenth has come
     * in; the background writer, which has just made sessions droppable, always may.
     */
    private void evictIfFull(boolean filesJustWritten) {
        int size = cache.size();
        if (size <= maxCached || (size < nextEviction && !filesJustWritten)) {
            return;
        }
        int target = maxCached - maxCached / 10;
        // when most sessions cannot be dropped (files behind), the next scan waits for another tenth more
        nextEviction = size + Math.max(1, maxCached / 10);
        record Candidate(String id, Cached cached, long lastUse) {}
        List<Candidate> candidates = new ArrayList<>();
        for (Map.Entry<String, Cached> entry : cache.entrySet()) {
            Cached cached = entry.getValue();
            if (cached.evictable()) {
                candidates.add(new Candidate(entry.getKey(), cached, cached.lastUse().nanos));
            }
        }
        // an active chat's session stays; one nobody asked for in a while is read from its file again if asked
        candidates.sort((a, b) -> Long.compare(a.lastUse() - b.lastUse(), 0)); // nanoTime values compare by difference
        for (Candidate candidate : candidates) {
            if (cache.size() <= target) {
                nextEviction = 0;
                return;
            }
            if (candidate.cached().lastUse().nanos != candidate.lastUse()) {
                continue; // used while the scan ran
            }
            ReentrantLock lock = lockFor(candidate.id());
            if (lock.tryLock()) {
                try {
                    cache.remove(candidate.id(), candidate.cached());
                } finally {
                    lock.unlock();
                }
            }
        }
        if (cache.size() <= target) {
            nextEviction = 0;
        }
    }

    /** Whether session {@code id} is in memory now (tests). */
    boolean isCached(String id) {
        return cache.containsKey(id);
    }

    /** The background writer: waits for a pending file, lets a session's rapid writes gather, writes them all. */
    private void writeFilesBehind() {
        while (true) {
            try {
                filesWanted.acquire();
                Thread.sleep(FILE_DELAY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            filesWanted.drainPermits();
            if (writePendingFiles()) {
                filesWanted.release(); // some sessions were busy: another round after the delay
            }
        }
    }

    /** Writes every session file that is behind its journal record now (a shutdown, a test). */
    @Override
    public void flush() {
        writePendingFiles();
    }

    /** Writes the files behind, fsyncs them and empties the journal, so the next start replays nothing. */
    @Override
    public void shutdown() {
        flush();
        if (journal == null) {
            return;
        }
        try {
            journal.checkpoint();
        } catch (IOException e) {
            // every write is still durable in the journal; the next start replays it
            LOG.log(
                    System.Logger.Level.WARNING,
                    "Session checkpoint at shutdown failed, journal kept: {0}",
                    e.getMessage());
        }
    }

    /** @return whether a session was busy and left for the next round */
    private boolean writePendingFiles() {
        boolean busy = false;
        for (String id : List.copyOf(pendingFiles)) {
            pendingFiles.remove(id);
            try {
                if (!writePendingFile(id)) {
                    pendingFiles.add(id); // a write of it is on its way to the journal: the next round
                    busy = true;
                }
            } catch (UncheckedIOException e) {
                pendingFiles.add(id);
                // the journal holds it; the next checkpoint or start writes it
                LOG.log(
                        System.Logger.Level.WARNING,
                        "Cannot write the file of session {0} yet: {1}",
                        id,
                        e.getMessage());
            }
        }
        evictIfFull(true); // the sessions just written may be dropped now
        return busy;
    }

    /**
     * Brings the session's file up to its journaled write, in place. Under the session's lock no write is between
     * the cache and the journal, so the write seen there is on disk in the journal; a session whose lock is
     * busy is left for the next round (false). Never waits for the lock: a writer holding it may be waiting for
     * the journal, whose checkpoint may be waiting for this file.
     */
    private boolean writePendingFile(String id) {
        ReentrantLock lock = lockFor(id);
        if (!lock.tryLock()) {
            return false;
        }
        SessionJson.Written written;
        try {
            Cached cached = cache.get(id);
            written = cached == null || !cached.behind() ? null : cached.journaled();
        } finally {
            lock.unlock();
        }
        if (written != null) {
            writeFileInPlace(id, written, false);
        }
        return true;
    }

    /**
     * Overwrites the session's file with {@code written} unless a checkpoint or a newer write got there first, and
     * fsyncs it when asked; the cached entry then matches the file.
     */
    private void writeFileInPlace(String id, SessionJson.Written written, boolean sync) {
        ReentrantLock fileLock = fileLockFor(id);
        fileLock.lock();
        try {
            Cached cached = cache.get(id);
            if (cached == null || !cached.behind() || cached.journaled() != written) {
                return; // deleted, written already, or a newer write pending (it gets its own round)
            }
            byte[] json = SessionJson.fileText(written).getBytes(StandardCharsets.UTF_8);
            Path target = file(id);
            try (var out = new RandomAccessFile(target.toFile(), "rw")) {
                out.write(json);
                out.setLength(json.length);
                if (sync) {
                    out.getFD().sync();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot save session " + id + " in " + dir + ": " + e.getMessage(), e);
            }
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(target, BasicFileAttributes.class);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read back session " + id + ": " + e.getMessage(), e);
            }
            // the file now holds this write; an entry with a newer one (written meanwhile) stays behind. Up to date, it
            // keeps its session (the base of its next journal record) but not its messages' JSON.
            cache.computeIfPresent(
                    id,
                    (key, current) -> current.journaled() == written && current.behind()
                            ? new Cached(
                                    current.session(),
                                    attributes.fileKey(),
                                    attributes.lastModifiedTime(),
                                    attributes.size(),
                                    written.withoutJson(),
                                    false,
                                    current.staged(),
                                    current.lastUse())
                            : current);
        } finally {
            fileLock.unlock();
        }
    }

    private SessionJournal journal() throws IOException {
        if (journal == null) {
            throw new IOException(problem != null ? problem : "the session journal is not open");
        }
        return journal;
    }

    /** Temp file, optionally fsynced, atomically renamed over the session's file (recovery: no journal behind it). */
    private void writeFile(String id, byte[] bytes, boolean sync) {
        Path target = file(id);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + id + ".", ".tmp");
            try (var out = new FileOutputStream(tmp.toFile())) {
                out.write(bytes);
                if (sync) {
                    out.getFD().sync();
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            if (sync) {
                syncDirectory();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save session " + id + " in " + dir + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover temp file is removed at the next start
                }
            }
        }
    }

    /** After a crash: every session the journal holds is written again, durably, then the journal is emptied. */
    private void recover(Path journalFile) throws IOException {
        Map<String, byte[]> last = SessionJournal.replay(journalFile);
        for (Map.Entry<String, byte[]> entry : last.entrySet()) {
            if (!SessionIds.isValid(entry.getKey())) {
                continue;
            }
            if (entry.getValue().length == 0) {
                Files.deleteIfExists(file(entry.getKey()));
            } else {
                writeFile(entry.getKey(), entry.getValue(), true);
            }
        }
        if (!last.isEmpty()) {
            syncDirectory();
            LOG.log(System.Logger.Level.INFO, "Recovered {0} sessions from the journal", last.size());
        }
        if (Files.exists(journalFile) || Files.exists(SessionJournal.retiredFile(journalFile))) {
            SessionJournal.truncate(journalFile);
        }
    }

    /** The journal's checkpoint: writes the files still behind, then fsyncs the files of these sessions and the directory. */
    private void syncFiles(Set<String> ids) throws IOException {
        // Several threads at once: the file system folds concurrent flushes into shared commits, so a checkpoint
        // takes a fraction of one fsync after another.
        List<String> all = List.copyOf(ids);
        int workers = Math.min(CHECKPOINT_THREADS, all.size());
        var failures = new java.util.concurrent.ConcurrentLinkedQueue<IOException>();
        List<Thread> threads = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            int first = w;
            threads.add(Thread.ofPlatform()
                    .daemon()
                    .name("miu-session-checkpoint")
                    .start(() -> {
                        for (int i = first; i < all.size() && failures.isEmpty(); i += workers) {
                            try {
                                syncFile(all.get(i));
                            } catch (IOException e) {
                                failures.add(e);
                            } catch (UncheckedIOException e) {
                                failures.add(e.getCause());
                            }
                        }
                    }));
        }
        for (Thread t : threads) {
            joinUninterruptibly(t);
        }
        if (!failures.isEmpty()) {
            throw failures.peek();
        }
        syncDirectory();
    }

    /**
     * Writes the session's file if it is behind, then fsyncs it. Runs in the journal's checkpoint, which must not
     * wait for the session's lock (a shutdown checkpoint holds up every writer); the write may be one still queued for the journal, which is fine here: the
     * file is fsynced before the journal is emptied, so it is never left torn, and that queued record is then
     * journaled whole.
     */
    private void syncFile(String id) throws IOException {
        ReentrantLock fileLock = fileLockFor(id);
        fileLock.lock();
        try {
            pendingFiles.remove(id);
            Cached cached = cache.get(id);
            if (cached != null && cached.behind()) {
                try {
                    writeFileInPlace(id, cached.journaled(), true);
                } catch (UncheckedIOException e) {
                    pendingFiles.add(id);
                    throw e;
                }
                return;
            }
            try (var file = new RandomAccessFile(file(id).toFile(), "r")) {
                file.getFD().sync();
            } catch (java.io.FileNotFoundException e) {
                // deleted since: its tombstone is in the journal being emptied, and the file is gone already
            }
        } finally {
            fileLock.unlock();
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes the rename itself durable. */
    private void syncDirectory() {
        SessionJournal.syncDirectory(dir);
    }

    private void removeLeftoverTempFiles() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    private void reportOnce(Path file, Exception e) {
        String key;
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            key = file + "@" + modified.toMillis();
        } catch (IOException ignored) {
            key = file.toString();
        }
        if (reported.add(key)) {
            LOG.log(System.Logger.Level.WARNING, "Skipping unreadable session file {0}: {1}", file, e.getMessage());
        }
    }
}
