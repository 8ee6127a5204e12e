package dev.miu.studio.session.postgres;

import dev.miu.core.agent.PendingApprovals;
import dev.miu.core.json.Json;
import dev.miu.core.message.Message;
import dev.miu.core.message.MessageJson;
import dev.miu.core.message.Usage;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionApprovals;
import dev.miu.studio.session.SessionQuery;
import dev.miu.studio.session.SessionSummary;
import jakarta.json.JsonObject;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads and writes a session's rows: {@code sessions}, {@code messages}, {@code pending_approvals}, the audit. */
final class SessionRows {

    static final String SUMMARY_COLUMNS = "id, name, model, created_at, updated_at, message_count, agent";

    private SessionRows() {}

    /** PostgreSQL keeps microseconds: a session is stored, and returned, at that precision. */
    static Session truncated(Session s) {
        Instant created = micros(s.createdAt());
        Instant updated = micros(s.updatedAt());
        if (created.equals(s.createdAt()) && updated.equals(s.updatedAt())) {
            return s;
        }
        return new Session(
                s.id(),
                s.name(),
                s.model(),
                s.systemPrompt(),
                created,
                updated,
                s.messages(),
                s.usage(),
                s.agent(),
                s.approvals());
    }

    static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    /** Reads of a session without its row lock made again at most this often when a writer commits in between. */
    private static final int UNLOCKED_READS = 5;

    /**
     * The session with every row, or empty; the row stays locked until the transaction ends (for an update).
     * When {@code cache} holds the session at the row's current version, the other rows are not read.
     */
    static Optional<Session> readLocked(Connection c, String id, SessionCache cache) throws SQLException {
        return read(c, id, true, cache, null);
    }

    /**
     * The session with every row, or empty, without locking it. Its rows are read one statement after another, each
     * seeing the latest commit (read committed, no snapshot to set up and reset: two round trips fewer than
     * repeatable read), so the row's version is read again after them; a writer that committed in between (its
     * rows and the session's row change in one transaction) means reading again. Null when writers kept committing
     * in between {@value #UNLOCKED_READS} times: then {@link #readLocked} in a transaction.
     */
    static Optional<Session> readUnlocked(Connection c, String id, SessionCache cache) throws SQLException {
        return readUnlocked(c, id, cache, null);
    }

    /** {@link #readUnlocked}, taking {@code lease} (when not null) in the same statement as the session's row. */
    static Optional<Session> readUnlocked(Connection c, String id, SessionCache cache, TurnRows.LeaseClaim lease)
            throws SQLException {
        for (int attempt = 1; ; attempt++) {
            Optional<Session> read = read(c, id, false, cache, attempt == 1 ? lease : null);
            if (read != null) {
                return read;
            }
            if (attempt == UNLOCKED_READS) {
                return null; // a session written this busily: read it under its row lock, in a transaction
            }
        }
    }

    /** As {@link #readUnlocked}, {@code lock}ed or not; null when an unlocked read saw a writer commit meanwhile. */
    private static Optional<Session> read(
            Connection c, String id, boolean lock, SessionCache cache, TurnRows.LeaseClaim lease) throws SQLException {
        UUID uuid = UUID.fromString(id);
        String sql = (lease == null ? "" : TurnRows.LEASE_CTE)
                + "SELECT name, model, system_prompt, created_at, updated_at, agent, input_tokens, output_tokens,"
                + " cache_read_tokens, cache_write_tokens, remembered_tools, paused_state, xmin::text"
                + (lease == null ? "" : ", EXISTS (SELECT 1 FROM lease)")
                + " FROM sessions WHERE id = ?"
                + (lock ? " FOR UPDATE" : "");
        String name, model, systemPrompt, agent, pausedState, version;
        Instant created, updated;
        Usage usage;
        List<String> remembered;
        try (PreparedStatement st = c.prepareStatement(sql)) {
            int at = 1;
            if (lease != null) {
                st.setObject(at++, lease.instance);
                st.setString(at++, lease.instanceName);
                st.setDouble(at++, lease.ttlSeconds);
                st.setObject(at++, uuid);
            }
            st.setObject(at, uuid);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    cache.forget(id);
                    return Optional.empty();
                }
                if (lease != null) {
                    lease.taken = rs.getBoolean(14);
                }
                version = rs.getString(13);
                Session cached = cache.get(id, version);
                if (cached != null) {
                    return Optional.of(cached);
                }
                name = rs.getString(1);
                model = rs.getString(2);
                systemPrompt = rs.getString(3);
                created = rs.getTimestamp(4).toInstant();
                updated = rs.getTimestamp(5).toInstant();
                agent = rs.getString(6);
                usage = new Usage(rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10));
                remembered = Arrays.asList((String[]) rs.getArray(11).getArray());
                pausedState = rs.getString(12);
            }
        }
        List<Message> messages = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT role, agent, content FROM messages WHERE session_id = ? ORDER BY position")) {
            st.setObject(1, uuid);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    var json = Json.object().add("role", rs.getString(1)).add("content", Json.parse(rs.getString(3)));
                    if (rs.getString(2) != null) {
                        json.add("agent", rs.getString(2));
                    }
                    messages.add(MessageJson.fromJson(json.build()));
                }
            }
        }
        var approvals = new SessionApprovals(
                items(c, "pending_approvals", uuid),
                pausedState == null ? PendingApprovals.NONE : PendingApprovals.fromJson(Json.parseObject(pausedState)),
                new LinkedHashSet<>(remembered),
                items(c, "approvals_audit", uuid));
        Session session =
                new Session(id, name, model, systemPrompt, created, updated, messages, usage, agent, approvals);
        if (!lock && !version.equals(version(c, uuid))) {
            return null;
        }
        cache.put(id, version, session);
        return Optional.of(session);
    }

    /** The version of the session's row now ({@code xmin}: every write of the row changes it), or "" without one. */
    private static String version(Connection c, UUID id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT xmin::text FROM sessions WHERE id = ?")) {
            st.setObject(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    /** The session's row, bound by {@link #bindSession}. */
    private static final String INSERT_SESSION = "INSERT INTO sessions (name, model, system_prompt, created_at,"
            + " updated_at, agent, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,"
            + " remembered_tools, paused_state, message_count, id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)";

    /**
     * Inserts the row of a session that has no other rows yet, unless one with its id exists; whether it did. The
     * session goes into {@code cache} at the row's version, as a read would put it.
     */
    static boolean insertRow(Connection c, Session s, SessionCache cache) throws SQLException {
        try (PreparedStatement st =
                c.prepareStatement(INSERT_SESSION + " ON CONFLICT (id) DO NOTHING RETURNING xmin::text")) {
            boolean altered = bindSession(c, st, s);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                if (!altered) { // else what a read gives back differs (a NUL character)
                    cache.put(s.id(), rs.getString(1), s);
                }
                return true;
            }
        }
    }

    /** Inserts the session's row and all its other rows. */
    static void insert(Connection c, Session s) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(INSERT_SESSION)) {
            bindSession(c, st, s);
            st.executeUpdate();
        }
        insertMessages(c, s, 0);
        insertItems(c, "pending_approvals", s.id(), s.approvals().items(), 0);
        insertItems(c, "approvals_audit", s.id(), s.approvals().audit(), 0);
    }

    /**
     * Writes what changed from {@code before} to {@code after}: the session's row, the messages from the first that
     * differs (a turn only appends), the current pause's calls if they changed, the audit's new entries.
     */
    static void update(Connection c, Session before, Session after, SessionCache cache) throws SQLException {
        boolean altered;
        String version;
        try (PreparedStatement st = c.prepareStatement("UPDATE sessions SET name = ?, model = ?, system_prompt = ?,"
                + " created_at = ?, updated_at = ?, agent = ?, input_tokens = ?, output_tokens = ?,"
                + " cache_read_tokens = ?, cache_write_tokens = ?, remembered_tools = ?, paused_state = ?::jsonb,"
                + " message_count = ? WHERE id = ? RETURNING xmin::text")) {
            altered = bindSession(c, st, after);
            try (ResultSet rs = st.executeQuery()) {
                version = rs.next() ? rs.getString(1) : null;
            }
        }
        int same = commonPrefix(before.messages(), after.messages());
        if (same < before.messages().size()) {
            deleteFrom(c, "messages", after.id(), same);
        }
        altered |= insertMessages(c, after, same);
        if (!before.approvals().items().equals(after.approvals().items())) {
            deleteFrom(c, "pending_approvals", after.id(), 0);
            altered |= insertItems(
                    c, "pending_approvals", after.id(), after.approvals().items(), 0);
        }
        int sameAudit =
                commonPrefix(before.approvals().audit(), after.approvals().audit());
        if (sameAudit < before.approvals().audit().size()) {
            deleteFrom(c, "approvals_audit", after.id(), sameAudit);
        }
        altered |=
                insertItems(c, "approvals_audit", after.id(), after.approvals().audit(), sameAudit);
        // what a read would give back, unless a text had to be changed to be stored (a NUL character)
        if (version != null && !altered) {
            cache.put(after.id(), version, after);
        } else {
            cache.forget(after.id());
        }
    }

    static SessionSummary summary(ResultSet rs) throws SQLException {
        return new SessionSummary(
                rs.getObject(1, UUID.class).toString(),
                rs.getString(2),
                rs.getString(3),
                rs.getTimestamp(4).toInstant(),
                rs.getTimestamp(5).toInstant(),
                rs.getInt(6),
                rs.getString(7));
    }

    /** Binds the session's row; whether a text had to be changed to be stored ({@link #noNul}, {@link #jsonb}). */
    static boolean bindSession(Connection c, PreparedStatement st, Session s) throws SQLException {
        boolean altered = noNul(s.name()) != s.name()
                || noNul(s.model()) != s.model()
                || noNul(s.systemPrompt()) != s.systemPrompt();
        st.setString(1, noNul(s.name()));
        st.setString(2, noNul(s.model()));
        st.setString(3, noNul(s.systemPrompt()));
        st.setTimestamp(4, Timestamp.from(s.createdAt()));
        st.setTimestamp(5, Timestamp.from(s.updatedAt()));
        st.setString(6, s.agent());
        st.setLong(7, s.usage().inputTokens());
        st.setLong(8, s.usage().outputTokens());
        st.setLong(9, s.usage().cacheReadTokens());
        st.setLong(10, s.usage().cacheWriteTokens());
        Array tools = c.createArrayOf(
                "text", s.approvals().remembered().stream().sorted().toArray());
        st.setArray(11, tools);
        PendingApprovals state = s.approvals().state();
        if (state.isEmpty()) {
            st.setNull(12, Types.VARCHAR);
        } else {
            String json = Json.write(state.toJson());
            String stored = jsonb(json);
            altered |= stored != json;
            st.setString(12, stored);
        }
        st.setInt(13, s.messages().size());
        st.setObject(14, UUID.fromString(s.id()));
        return altered;
    }

    /** Inserts the messages from {@code from}; whether a text had to be changed to be stored. */
    private static boolean insertMessages(Connection c, Session s, int from) throws SQLException {
        List<Message> messages = s.messages();
        if (from >= messages.size()) {
            return false;
        }
        boolean altered = false;
        try (PreparedStatement st = c.prepareStatement("INSERT INTO messages (session_id, position, role, agent,"
                + " content, search_text) VALUES (?, ?, ?, ?, ?::jsonb, ?)")) {
            UUID id = UUID.fromString(s.id());
            for (int i = from; i < messages.size(); i++) {
                Message m = messages.get(i);
                JsonObject json = MessageJson.toJson(m);
                st.setObject(1, id);
                st.setInt(2, i);
                st.setString(3, json.getString("role"));
                st.setString(4, m.agent());
                String content = Json.write(json.getJsonArray("content"));
                String stored = jsonb(content);
                altered |= stored != content;
                st.setString(5, stored);
                st.setString(6, noNul(SessionQuery.searchText(m))); // for search only: never read back
                st.addBatch();
            }
            st.executeBatch();
        }
        return altered;
    }

    /** Inserts the approval items from {@code from}; whether a text had to be changed to be stored. */
    private static boolean insertItems(
            Connection c, String table, String sessionId, List<SessionApprovals.Item> items, int from)
            throws SQLException {
        if (from >= items.size()) {
            return false;
        }
        boolean altered = false;
        try (PreparedStatement st = c.prepareStatement("INSERT INTO " + table + " (session_id, position, approval_id,"
                + " tool_call_id, agent, tool, input, diff, created_at, decision, reason, decided_at, decided_by)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?::jsonb)")) {
            UUID id = UUID.fromString(sessionId);
            for (int i = from; i < items.size(); i++) {
                SessionApprovals.Item item = items.get(i);
                st.setObject(1, id);
                st.setInt(2, i);
                st.setString(3, item.approvalId());
                st.setString(4, item.toolCallId());
                st.setString(5, item.agent());
                st.setString(6, item.name());
                String input = Json.write(item.input());
                altered |= jsonb(input) != input || noNul(item.diff()) != item.diff();
                st.setString(7, jsonb(input));
                st.setString(8, noNul(item.diff()));
                st.setTimestamp(9, Timestamp.from(item.createdAt()));
                SessionApprovals.Decision d = item.decision();
                st.setString(10, d == null ? null : d.approve() ? "approve" : "deny");
                st.setString(11, d == null ? null : noNul(d.reason()));
                // times are kept to the microsecond: one finer is read back changed
                altered |= (d != null && noNul(d.reason()) != d.reason())
                        || !micros(item.createdAt()).equals(item.createdAt())
                        || (d != null && !micros(d.decidedAt()).equals(d.decidedAt()));
                st.setTimestamp(12, d == null ? null : Timestamp.from(d.decidedAt()));
                String decider = d == null || d.decidedBy() == null
                        ? null
                        : Json.write(d.decidedBy().toJson());
                altered |= decider != null && jsonb(decider) != decider;
                st.setString(13, decider == null ? null : jsonb(decider));
                st.addBatch();
            }
            st.executeBatch();
        }
        return altered;
    }

    private static List<SessionApprovals.Item> items(Connection c, String table, UUID id) throws SQLException {
        List<SessionApprovals.Item> items = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT approval_id, tool_call_id, agent, tool, input, diff,"
                + " created_at, decision, reason, decided_at, decided_by FROM " + table
                + " WHERE session_id = ? ORDER BY position")) {
            st.setObject(1, id);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String decision = rs.getString(8);
                    items.add(new SessionApprovals.Item(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            Json.parseObject(rs.getString(5)),
                            rs.getTimestamp(7).toInstant(),
                            decision == null
                                    ? null
                                    : new SessionApprovals.Decision(
                                            "approve".equals(decision),
                                            rs.getString(9),
                                            rs.getTimestamp(10).toInstant(),
                                            decider(rs.getString(11))),
                            rs.getString(6)));
                }
            }
        }
        return items;
    }

    /** A stored {@code decided_by}; null (not known) for a row decided before it was kept. */
    private static SessionApprovals.Decider decider(String json) {
        return json == null ? null : SessionApprovals.Decider.fromJson(Json.parseObject(json));
    }

    private static void deleteFrom(Connection c, String table, String sessionId, int from) throws SQLException {
        try (PreparedStatement st =
                c.prepareStatement("DELETE FROM " + table + " WHERE session_id = ? AND position >= ?")) {
            st.setObject(1, UUID.fromString(sessionId));
            st.setInt(2, from);
            st.executeUpdate();
        }
    }

    /** How many leading elements are the same (the same instance, usually: messages are immutable and reused). */
    static <T> int commonPrefix(List<T> a, List<T> b) {
        int n = Math.min(a.size(), b.size());
        int i = 0;
        while (i < n && (a.get(i) == b.get(i) || a.get(i).equals(b.get(i)))) {
            i++;
        }
        return i;
    }

    /**
     * PostgreSQL's text cannot hold U+0000 (a tool's output may): it is stored as U+FFFD, the replacement character,
     * rather than failing the turn's write.
     */
    static String noNul(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    /**
     * As {@link #noNul} for JSON text, where jsonb refuses the escape {@code \u0000}: only a real escape (after an
     * even number of backslashes) is replaced, not the six characters of a text that shows one.
     */
    static String jsonb(String json) {
        int at = json.indexOf("\\u0000");
        if (at < 0) {
            return json;
        }
        StringBuilder out = new StringBuilder(json.length());
        int from = 0;
        while (at >= 0) {
            int backslashes = 0;
            for (int i = at - 1; i >= 0 && json.charAt(i) == '\\'; i--) {
                backslashes++;
            }
            out.append(json, from, at);
            out.append(backslashes % 2 == 0 ? "\\ufffd" : "\\u0000");
            from = at + 6;
            at = json.indexOf("\\u0000", from);
        }
        return out.append(json, from, json.length()).toString();
    }
}
