package dev.miu.studio.session.postgres;

import dev.miu.studio.session.Session;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sessions as this server last read or wrote them, each with the version of its {@code sessions} row (PostgreSQL's
 * {@code xmin}, which every write of the row changes, on whichever server). A read still asks the database for the
 * row, and only when the row's version is the cached one does it skip the session's other rows: so every read sees
 * what any server committed last, and a turn no longer reads and parses its whole history three times (the
 * database round trips and the JSON were most of a turn's cost on PostgreSQL, see BENCHMARKS.md). At most
 * {@link #MAX} sessions, the least recently used dropped first.
 */
final class SessionCache {

    static final int MAX = 10_000;

    /** A session as this server holds it, at the version of its row. */
    record Cached(String version, Session session) {}

    private final Map<String, Cached> entries = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX;
        }
    };

    /** The session at row version {@code version}, or null when this server does not hold that version. */
    synchronized Session get(String id, String version) {
        Cached e = entries.get(id);
        return e != null && e.version().equals(version) ? e.session() : null;
    }

    /** What this server holds of the session, or null. */
    synchronized Cached get(String id) {
        return entries.get(id);
    }

    synchronized void put(String id, String version, Session session) {
        entries.put(id, new Cached(version, session));
    }

    synchronized void forget(String id) {
        entries.remove(id);
    }
}
