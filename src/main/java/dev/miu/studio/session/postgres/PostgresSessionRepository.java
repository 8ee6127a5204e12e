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
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Sessions in PostgreSQL, shared by every server on the same database. Each read sees what any server committed
 * last: it reads the session's row, and its other rows too unless this server holds that version of it
 * ({@link SessionCache}). An {@link #update} locks the session's row, reads the session, and writes only what the
 * change changed (a turn appends its messages) in the same transaction, committed before it returns; so does
 * {@link #stage}, which here is as durable as an update (another server must see the staged message too).
 */
public final class PostgresSessionRepository implements SessionRepository {

    private final PostgresDatabase db;
    private final SessionCache cache = new SessionCache();

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

    @Override
    public Optional<Session> find(String id) {
        return db.transaction(c -> SessionRows.readUnlocked(c, id, cache));
    }

    @Override
    public List<SessionSummary> list() {
        return db.transaction(c -> {
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
        return db.transaction(c -> {
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

    @Override
    public Optional<Session> update(String id, UnaryOperator<Session> change) {
        return db.transaction(c -> {
            Optional<Session> before = SessionRows.readLocked(c, id, cache);
            if (before.isEmpty()) {
                return Optional.empty();
            }
            Session after = SessionRows.truncated(change.apply(before.get()));
            if (!after.id().equals(id)) {
                throw new IllegalArgumentException("an update cannot change a session's id");
            }
            SessionRows.update(c, before.get(), after, cache);
            return Optional.of(after);
        });
    }

    /** As {@link #update}: the change is committed at once, so every server sees it. */
    @Override
    public Optional<Session> stage(String id, UnaryOperator<Session> change) {
        return update(id, change);
    }

    @Override
    public boolean delete(String id) {
        return db.transaction(c -> {
            cache.forget(id);
            try (PreparedStatement st = c.prepareStatement("DELETE FROM sessions WHERE id = ?")) {
                st.setObject(1, UUID.fromString(id));
                return st.executeUpdate() > 0;
            }
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

    @Override
    public void close() {
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
