package dev.miu.studio.session.postgres;

import dev.miu.config.DatabaseSettings;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionPage;
import dev.miu.studio.session.SessionQuery;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.session.SessionSummary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Sessions in PostgreSQL, shared by every server on the same database. Each read sees what any server committed
 * last: it reads the session's row, and its other rows too unless this server holds that version of it
 * ({@link SessionCache}). An {@link #update} writes only what the change changed, committed before it returns: a
 * turn's usual write (it appends messages to the version of the session this server holds) in one statement that
 * applies only if the row is still at that version ({@link TurnRows}); any other, or when the row moved on, locks the
 * row, reads the session and writes in one transaction.
 *
 * <p>A {@link #stage}d change (a turn's user message) stays on this server, as the file journal keeps it in memory:
 * this server's reads show it at once, and the session's next update stores it with what that update changes (a
 * turn's answer), in one transaction. Another server sees it then, the way it sees the answer. Writing it at once
 * cost every turn a second transaction, a third of its time on the database (see BENCHMARKS.md); what another
 * server may do meanwhile is rename or delete the session, as it may on the file store's one server.
 */
public final class PostgresSessionRepository implements SessionRepository {

    private static final System.Logger LOG = System.getLogger(PostgresSessionRepository.class.getName());

    private final PostgresDatabase db;
    private final SessionCache cache = new SessionCache();
    private volatile PostgresTurnLeases leases;
    /** Changes staged by this server's turns and not stored yet, by session: applied over what a read finds. */
    private final Map<String, UnaryOperator<Session>> staged = new ConcurrentHashMap<>();

    public PostgresSessionRepository(PostgresDatabase db) {
        this.db = db;
    }

    /** Connects to the database of {@code settings} and migrates its schema. */
    public static PostgresSessionRepository open(DatabaseSettings settings) {
        return new PostgresSessionRepository(PostgresDatabase.open(settings));
    }

    /** The database, for what else shares it (leases, cancels across servers). */
    public PostgresDatabase database() {
        return db;
    }

    @Override
    public Session create(Session session) {
        Session stored = SessionRows.truncated(session);
        if (stored.messages().isEmpty()
                && stored.approvals().items().isEmpty()
                && stored.approvals().audit().isEmpty()) {
            // a new session is one row: one statement, and this server holds it for the turn that follows
            if (!db.autocommit(c -> SessionRows.insertRow(c, stored, cache))) {
                throw new IllegalStateException("Session " + stored.id() + " already exists");
            }
            return stored;
        }
        return db.transaction(c -> {
            if (exists(c, stored.id())) {
                throw new IllegalStateException("Session " + stored.id() + " already exists");
            }
            SessionRows.insert(c, stored);
            return stored;
        });
    }

    /** Stores {@code session} unless one with its id exists; whether it was stored (for the export). */
    public boolean createIfAbsent(Session session) {
        Session stored = SessionRows.truncated(session);
        return db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                st.setString(1, stored.id()); // two exports at once do not both insert it
                st.execute();
            }
            if (exists(c, stored.id())) {
                return false;
            }
            SessionRows.insert(c, stored);
            return true;
        });
    }

    /**
     * The turn leases of this server on this database ({@code database.lease-ttl}, {@code name} for people): a turn's
     * first read takes its lease ({@link #findForTurn}) and its last write gives it back ({@link #updateEndingTurn}),
     * so a turn costs the database two round trips, not four.
     */
    public PostgresTurnLeases leases(java.time.Duration ttl, String name) {
        PostgresTurnLeases started = PostgresTurnLeases.start(db, ttl, name);
        this.leases = started;
        return started;
    }

    @Override
    public Optional<Session> find(String id) {
        return withStaged(id, stored(id, null));
    }

    /** Reads the session and takes its turn lease for this server in the same statement (when leases are started). */
    @Override
    public Optional<Session> findForTurn(String id) {
        PostgresTurnLeases turns = leases;
        if (turns == null) {
            return find(id);
        }
        TurnRows.LeaseClaim claim = turns.claim();
        try {
            return withStaged(id, stored(id, claim));
        } finally {
            if (claim.taken) {
                turns.taken(id); // even when a later read failed: the caller's release gives it back
            }
        }
    }

    private Optional<Session> withStaged(String id, Optional<Session> stored) {
        UnaryOperator<Session> change = staged.get(id);
        return change == null ? stored : stored.map(s -> SessionRows.truncated(change.apply(s)));
    }

    /**
     * The session as the database holds it, read without locking it unless it is being written very busily, taking
     * {@code lease} (if not null) in the first statement.
     */
    private Optional<Session> stored(String id, TurnRows.LeaseClaim lease) {
        Optional<Session> read = db.autocommit(c -> SessionRows.readUnlocked(c, id, cache, lease));
        return read != null ? read : db.transaction(c -> SessionRows.readLocked(c, id, cache));
    }

    @Override
    public List<SessionSummary> list() {
        return db.autocommit(c -> {
            List<SessionSummary> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT " + SessionRows.SUMMARY_COLUMNS + " FROM sessions ORDER BY updated_at DESC, id DESC")) {
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(SessionRows.summary(rs));
                    }
                }
            }
            return out;
        });
    }

    /** One query: the page after the cursor, filtered by agent and text, one row more to know if more follow. */
    @Override
    public SessionPage list(SessionQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + SessionRows.SUMMARY_COLUMNS + " FROM sessions s WHERE true");
        List<Object> params = new ArrayList<>();
        if (query.cursor() != null) {
            sql.append(" AND (s.updated_at, s.id) < (?, ?)");
            params.add(Timestamp.from(query.cursor().updatedAt()));
            params.add(UUID.fromString(query.cursor().id()));
        }
        if (query.agent() != null) {
            sql.append(
                    query.agent().equals(query.defaultAgent())
                            ? " AND (s.agent = ? OR s.agent IS NULL)"
                            : " AND s.agent = ?");
            params.add(query.agent());
        }
        if (query.text() != null) {
            sql.append(" AND (strpos(lower(s.name), lower(?)) > 0 OR EXISTS (SELECT 1 FROM messages m"
                    + " WHERE m.session_id = s.id AND strpos(lower(m.search_text), lower(?)) > 0))");
            params.add(query.text());
            params.add(query.text());
        }
        sql.append(" ORDER BY s.updated_at DESC, s.id DESC LIMIT ?");
        params.add(query.limit() + 1);
        return db.autocommit(c -> {
            List<SessionSummary> rows = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    st.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        rows.add(SessionRows.summary(rs));
                    }
                }
            }
            return SessionPage.of(rows, query.limit());
        });
    }

    /** Applies {@code change} over the session and what this server staged for it, and stores both. */
    @Override
    public Optional<Session> update(String id, UnaryOperator<Session> change) {
        return write(id, change, null);
    }

    /** {@link #update}, deleting this server's turn lease on the session in the same statement or transaction. */
    @Override
    public Optional<Session> updateEndingTurn(String id, UnaryOperator<Session> change) {
        PostgresTurnLeases turns = leases;
        if (turns == null || !turns.holds(id)) {
            return update(id, change);
        }
        Optional<Session> updated = write(id, change, turns.instance());
        turns.releasedWithWrite(id);
        return updated;
    }

    /** Applies the staged change and {@code change}, stores them, and deletes the lease of {@code releaseLeaseOf}. */
    private Optional<Session> write(String id, UnaryOperator<Session> change, UUID releaseLeaseOf) {
        UnaryOperator<Session> pending = staged.get(id);
        Optional<Session> updated = appended(id, pending, change, releaseLeaseOf);
        if (updated == null) {
            updated = locked(id, pending, change, releaseLeaseOf);
        }
        if (pending != null) {
            staged.remove(id, pending); // stored now (or the session is gone); one staged since stays
        }
        return updated;
    }

    /**
     * A turn's usual write in one statement: when this server holds the session as the database last had it, and the
     * change only appends messages, it is written on the condition that the row is still at that version. Null when
     * that does not hold (or the row was written meanwhile): then {@link #locked}.
     */
    private Optional<Session> appended(
            String id, UnaryOperator<Session> pending, UnaryOperator<Session> change, UUID releaseLeaseOf) {
        SessionCache.Cached held = cache.get(id);
        if (held == null) {
            return null;
        }
        Session before = held.session();
        Session after = SessionRows.truncated(change.apply(pending == null ? before : pending.apply(before)));
        if (!after.id().equals(id) || !TurnRows.onlyAppends(before, after)) {
            return null;
        }
        return db.autocommit(c -> TurnRows.append(c, held.version(), before, after, cache, releaseLeaseOf))
                ? Optional.of(after)
                : null;
    }

    /** Locks the session's row, reads the session, applies the changes and writes what they changed. */
    private Optional<Session> locked(
            String id, UnaryOperator<Session> pending, UnaryOperator<Session> change, UUID releaseLeaseOf) {
        return db.transaction(c -> {
            if (releaseLeaseOf != null) {
                TurnRows.releaseLease(c, id, releaseLeaseOf); // committed with the write, or not at all
            }
            Optional<Session> before = SessionRows.readLocked(c, id, cache);
            if (before.isEmpty()) {
                return Optional.empty();
            }
            Session base = pending == null ? before.get() : pending.apply(before.get());
            Session after = SessionRows.truncated(change.apply(base));
            if (!after.id().equals(id)) {
                throw new IllegalArgumentException("an update cannot change a session's id");
            }
            SessionRows.update(c, before.get(), after, cache);
            return Optional.of(after);
        });
    }

    /**
     * Applies {@code change} for this server's readers at once; it is stored with the session's next
     * {@link #update} (or {@link #flush}), and another server sees it then.
     */
    @Override
    public Optional<Session> stage(String id, UnaryOperator<Session> change) {
        // built on the copy this server holds (a turn read it as it began): the update that stores the change
        // applies it again over what the database holds then
        SessionCache.Cached held = cache.get(id);
        Optional<Session> current = held != null ? withStaged(id, Optional.of(held.session())) : find(id);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        staged.merge(id, change, (earlier, later) -> s -> later.apply(earlier.apply(s)));
        return Optional.of(SessionRows.truncated(change.apply(current.get())));
    }

    /** Stores what this server staged and no update stored (a turn that failed to store its end), each on its own. */
    @Override
    public void flush() {
        for (String id : List.copyOf(staged.keySet())) {
            try {
                update(id, UnaryOperator.identity());
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "Could not store the staged message of session " + id + ": " + e.getMessage());
            }
        }
    }

    /**
     * Deletes the session with its messages (which have no foreign key: see {@code V3__messages_without_foreign_key})
     * under its row lock, so no write that held the lock first leaves a message behind; the approvals go by cascade.
     */
    @Override
    public boolean delete(String id) {
        staged.remove(id);
        return db.transaction(c -> {
            cache.forget(id);
            UUID uuid = UUID.fromString(id);
            try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM sessions WHERE id = ? FOR UPDATE")) {
                st.setObject(1, uuid);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                }
            }
            for (String sql :
                    List.of("DELETE FROM messages WHERE session_id = ?", "DELETE FROM sessions WHERE id = ?")) {
                try (PreparedStatement st = c.prepareStatement(sql)) {
                    st.setObject(1, uuid);
                    st.executeUpdate();
                }
            }
            return true;
        });
    }

    @Override
    public boolean isReady() {
        return db.isReady();
    }

    @Override
    public String describe() {
        return "PostgreSQL " + db.describe();
    }

    /** Stops the turn leases it started (renewals, the listening connection), then closes the pool. */
    @Override
    public void close() {
        PostgresTurnLeases started = leases;
        if (started != null) {
            started.close();
        }
        db.close();
    }

    private static boolean exists(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM sessions WHERE id = ?")) {
            st.setObject(1, UUID.fromString(id));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }
}
