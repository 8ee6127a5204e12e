package dev.miu.config;

import dev.miu.core.ConfigurationException;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code sessions} section: where the studio's sessions live and when a write to the file store reaches the disk.
 *
 * @param sync         {@link Sync#INTERVAL} (the default): a write returns once the operating system has it, and the
 *                     journal is flushed to disk every {@code syncInterval}; {@link Sync#ALWAYS}: once it is on disk
 *                     (one flush per turn, shared by turns that finish together)
 * @param syncInterval how often the journal is flushed in {@link Sync#INTERVAL} mode
 * @param store        {@link Store#FILE} (the default: a journal in the data directory, one server) or
 *                     {@link Store#POSTGRES} (the {@code database} section's PostgreSQL, shared by many servers)
 */
public record SessionSettings(Sync sync, Duration syncInterval, Store store) {

    /** Where sessions are kept ({@code sessions.store}, {@code MIU_SESSIONS_STORE}). */
    public enum Store {
        /** A journal and one file per session under the data directory: one server. */
        FILE,
        /** A PostgreSQL database ({@code database.url}) that every server of a team shares. */
        POSTGRES
    }

    /** When a write is on disk. */
    public enum Sync {
        /** Before the write returns: nothing acknowledged is lost, even if the machine loses power. */
        ALWAYS,
        /**
         * Within the interval: a crash of miu loses nothing (the operating system has every write), a crash of the
         * machine or a power cut loses at most the writes of the last interval.
         */
        INTERVAL
    }

    /**
     * Interval, as Redis's {@code appendfsync everysec}: a kill or crash of miu loses nothing, and a turn does not
     * wait for the disk (about 0.2 ms a turn on the benchmark machine, a third of what miu adds to a turn; see
     * BENCHMARKS.md). Surviving a power cut too is {@code sessions.sync: always}.
     */
    public static final SessionSettings DEFAULT = new SessionSettings(Sync.INTERVAL, Duration.ofSeconds(1), Store.FILE);

    static final long MAX_INTERVAL_MS = 60_000;

    public SessionSettings(Sync sync, Duration syncInterval) {
        this(sync, syncInterval, Store.FILE);
    }

    public SessionSettings {
        if (store == null) {
            throw new ConfigurationException("sessions.store must be set");
        }
        if (sync == null || syncInterval == null) {
            throw new ConfigurationException("sessions.sync and sessions.sync-interval-ms must be set");
        }
        if (syncInterval.toMillis() < 1 || syncInterval.toMillis() > MAX_INTERVAL_MS) {
            throw new ConfigurationException("sessions.sync-interval-ms must be between 1 and " + MAX_INTERVAL_MS
                    + ", got " + syncInterval.toMillis());
        }
    }

    static SessionSettings from(ConfigTree sessions, Map<String, String> env) {
        String sync = sessions.get("sync").asString().orElse(DEFAULT.sync().name()); // read first: a known key
        String envSync = env.get("MIU_SESSIONS_SYNC");
        if (envSync != null && !envSync.isBlank()) {
            sync = envSync;
        }
        Sync mode = switch (sync.strip().toLowerCase(Locale.ROOT)) {
            case "always" -> Sync.ALWAYS;
            case "interval" -> Sync.INTERVAL;
            default ->
                throw new ConfigurationException(
                        "sessions.sync (MIU_SESSIONS_SYNC) must be always or interval, got '" + sync.strip() + "'");
        };
        long interval = sessions.get("sync-interval-ms")
                .asLong()
                .orElse(DEFAULT.syncInterval().toMillis());
        return new SessionSettings(mode, Duration.ofMillis(interval), store(sessions, env));
    }

    private static Store store(ConfigTree sessions, Map<String, String> env) {
        String store = sessions.get("store").asString().orElse("file"); // read first: a known key
        String envStore = env.get("MIU_SESSIONS_STORE");
        if (envStore != null && !envStore.isBlank()) {
            store = envStore;
        }
        return switch (store.strip().toLowerCase(Locale.ROOT)) {
            case "file" -> Store.FILE;
            case "postgres", "postgresql" -> Store.POSTGRES;
            default ->
                throw new ConfigurationException(
                        "sessions.store (MIU_SESSIONS_STORE) must be file or postgres, got '" + store.strip() + "'");
        };
    }

    /** For the start-up log. */
    public String describe() {
        if (store == Store.POSTGRES) {
            return "in PostgreSQL, each write committed before it returns";
        }
        return sync == Sync.ALWAYS
                ? "each write on disk before it returns"
                : "written to the OS at once, flushed to disk every " + syncInterval.toMillis() + " ms";
    }
}
