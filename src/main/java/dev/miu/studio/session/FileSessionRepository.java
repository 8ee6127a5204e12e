package dev.miu.studio.session;

import dev.miu.core.json.Json;
import jakarta.json.JsonObject;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * One JSON file per session under {@code DATA_DIR/sessions}, named by its UUID. Every write goes to a temporary
 * file in the same directory, atomically renamed over the old file, so a reader never sees half a session. A write
 * returns once it is durable: the session's JSON is also appended to the {@link SessionJournal}
 * ({@code DATA_DIR/sessions.journal}), whose fsync concurrent writes share (group commit); the files are fsynced at
 * the journal's checkpoints, and a start after a crash rewrites every session the journal holds. Sessions read are
 * kept in memory and re-read only when their file's identity, size or time changes (an edit from outside); a
 * {@linkplain #stage staged} change lives only there until the session's next write.
 * One server per data directory. A file that cannot be read is reported once and skipped by {@link #list()}; it is
 * never deleted or overwritten behind the user's back.
 */
public final class FileSessionRepository implements SessionRepository {

    private static final System.Logger LOG = System.getLogger(FileSessionRepository.class.getName());
    private static final String SUFFIX = ".json";
    private static final int STRIPES = 64;

    private final Path dir;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    /** Corrupt files already reported, by path and modification time, so the log is not flooded on every list. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final SessionJournal journal;
    private volatile String problem;

    /** A session as read or written, and the file attributes it matches. */
    private record Cached(Session session, Object fileKey, FileTime modified, long size) {
        boolean matches(BasicFileAttributes attributes) {
            return attributes.size() == size && attributes.lastModifiedTime().equals(modified)
                    && java.util.Objects.equals(attributes.fileKey(), fileKey);
        }
    }

    public FileSessionRepository(Path dataDir) {
        this.dir = dataDir.resolve("sessions").toAbsolutePath();
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
        SessionJournal opened = null;
        try {
            Files.createDirectories(dir);
            removeLeftoverTempFiles();
            Path journalFile = dir.resolveSibling("sessions.journal");
            recover(journalFile);
            opened = new SessionJournal(journalFile, this::syncFiles);
        } catch (IOException e) {
            // The server still starts; /ready says what is wrong and each request gets a clear error.
            problem = "Cannot create the session directory " + dir + " or its journal: " + e;
            LOG.log(System.Logger.Level.ERROR, problem);
        }
        journal = opened;
    }

    @Override
    public Session create(Session session) {
        ReentrantLock lock = lockFor(session.id());
        lock.lock();
        try {
            if (Files.exists(file(session.id()))) {
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
        Path file = file(id);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Cached cached = cache.get(id);
            if (cached != null && cached.matches(attributes)) {
                return Optional.of(cached.session());
            }
            var read = new Cached(read(file), attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
            // an entry that matches the same file is as new or newer (staged meanwhile): keep it
            return Optional.of(cache.compute(id, (key, current) ->
                    current != null && current.matches(attributes) ? current : read).session());
        } catch (NoSuchFileException e) {
            cache.remove(id);
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read session " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<SessionSummary> list() {
        List<SessionSummary> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!SessionIds.isValid(name.substring(0, name.length() - SUFFIX.length()))) {
                    continue; // not ours
                }
                try {
                    out.add(read(file).summary());
                } catch (NoSuchFileException e) {
                    // deleted while we listed
                } catch (IOException | CorruptSessionException e) {
                    reportOnce(file, e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list sessions in " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(SessionSummary::updatedAt).thenComparing(SessionSummary::createdAt).reversed());
        return out;
    }

    @Override
    public Optional<Session> update(String id, UnaryOperator<Session> change) {
        ReentrantLock lock = lockFor(id);
        lock.lock();
        try {
            Optional<Session> current = find(id);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Session updated = change.apply(current.get());
            if (!updated.id().equals(id)) {
                throw new IllegalArgumentException("An update cannot change a session's id");
            }
            write(updated);
            return Optional.of(updated);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Session> stage(String id, UnaryOperator<Session> change) {
        ReentrantLock lock = lockFor(id);
        lock.lock();
        try {
            Optional<Session> current = find(id);
            Cached file = cache.get(id);
            if (current.isEmpty() || file == null) {
                return Optional.empty();
            }
            Session staged = change.apply(current.get());
            if (!staged.id().equals(id)) {
                throw new IllegalArgumentException("An update cannot change a session's id");
            }
            // same file attributes: find() keeps answering the staged session until the file changes
            cache.put(id, new Cached(staged, file.fileKey(), file.modified(), file.size()));
            return Optional.of(staged);
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
            if (!Files.exists(file)) {
                cache.remove(id);
                return false;
            }
            journal().delete(id); // durable first: a restart must not bring the session back
            cache.remove(id);
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete session " + id + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isReady() {
        return problem == null && journal != null && journal.isHealthy() && Files.isDirectory(dir) && Files.isWritable(dir);
    }

    @Override
    public String describe() {
        return dir.toString();
    }

    private Path file(String id) {
        if (!SessionIds.isValid(id)) {
            throw new IllegalArgumentException("Not a session id: " + id);
        }
        return dir.resolve(id.toLowerCase(java.util.Locale.ROOT) + SUFFIX);
    }

    private ReentrantLock lockFor(String id) {
        return locks[Math.floorMod(id.hashCode(), STRIPES)];
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
     * Writes the file (visible to readers at once), then makes the write durable through the journal. The file
     * comes first so that a checkpoint, which empties the journal, never drops a record whose file is not written.
     */
    private void write(Session session) {
        byte[] bytes = Json.write(SessionJson.toFile(session)).getBytes(StandardCharsets.UTF_8);
        writeFile(session.id(), bytes, false);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file(session.id()), BasicFileAttributes.class);
            cache.put(session.id(), new Cached(session, attributes.fileKey(), attributes.lastModifiedTime(), attributes.size()));
            journal().write(session.id(), bytes);
        } catch (IOException e) {
            cache.remove(session.id());
            throw new UncheckedIOException("Cannot save session " + session.id() + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    private SessionJournal journal() throws IOException {
        if (journal == null) {
            throw new IOException(problem != null ? problem : "the session journal is not open");
        }
        return journal;
    }

    /** Temp file, optionally fsynced, atomically renamed over the session's file. */
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
        if (Files.exists(journalFile)) {
            SessionJournal.truncate(journalFile);
        }
    }

    /** The journal's checkpoint: fsyncs the files of these sessions and the directory. */
    private void syncFiles(Set<String> ids) throws IOException {
        for (String id : ids) {
            try (var file = new RandomAccessFile(file(id).toFile(), "r")) {
                file.getFD().sync();
            } catch (java.io.FileNotFoundException e) {
                // deleted since: its tombstone is in the journal being emptied, and the file is gone already
            }
        }
        syncDirectory();
    }

    /** Makes the rename itself durable. Not every platform can open a directory; there the rename has to do. */
    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
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
