package dev.miu.studio.session.postgres;

import dev.miu.core.json.Json;
import dev.miu.core.message.Message;
import dev.miu.core.message.MessageJson;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionQuery;
import jakarta.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * The statements of a chat turn, two round trips in all: its first read takes the session's turn lease in the same
 * statement ({@link #LEASE_CTE}, read by {@link SessionRows}), and its last write appends its messages and gives the
 * lease back in one ({@link #append}). Round trips are most of what a turn costs on PostgreSQL (BENCHMARKS.md).
 */
final class TurnRows {

    private TurnRows() {}

    /**
     * The end of a lease's insert: a live lease of another server keeps its row, an expired one (its server died)
     * is taken over, this server's own is renewed; the session's id is returned when the lease is this server's.
     */
    static final String UNLESS_HELD_ELSEWHERE = " ON CONFLICT (session_id) DO UPDATE SET"
            + " instance_id = excluded.instance_id, instance_name = excluded.instance_name,"
            + " acquired_at = excluded.acquired_at, expires_at = excluded.expires_at"
            + " WHERE turn_leases.expires_at < now() OR turn_leases.instance_id = excluded.instance_id"
            + " RETURNING session_id";

    /**
     * Takes the turn lease of an existing session for this server (session, instance, its name, TTL in seconds) when
     * no live lease of another server holds it; an expired one (its server died) is taken over.
     */
    static final String LEASE_CTE = "WITH lease AS (INSERT INTO turn_leases"
            + " (session_id, instance_id, instance_name, acquired_at, expires_at)"
            + " SELECT id, ?, ?, now(), now() + make_interval(secs => ?) FROM sessions WHERE id = ?"
            + UNLESS_HELD_ELSEWHERE + ") ";

    /**
     * A turn lease a read takes for this server in its first statement (when the session exists and no live lease
     * of another server holds it); {@link #taken} says whether it did.
     */
    static final class LeaseClaim {
        final UUID instance;
        final String instanceName;
        final double ttlSeconds;
        boolean taken;

        LeaseClaim(UUID instance, String instanceName, double ttlSeconds) {
            this.instance = instance;
            this.instanceName = instanceName;
            this.ttlSeconds = ttlSeconds;
        }
    }

    /**
     * Whether going from {@code before} to {@code after} only appends messages (and changes the session's own row):
     * a chat turn's usual write, which {@link #append} makes in one statement.
     */
    static boolean onlyAppends(Session before, Session after) {
        return SessionRows.commonPrefix(before.messages(), after.messages())
                        == before.messages().size()
                && before.approvals().items().equals(after.approvals().items())
                && before.approvals().audit().equals(after.approvals().audit());
    }

    /**
     * Writes {@link #onlyAppends an appending change} in one statement, committed on its own, provided the session's
     * row is still at {@code version} (so the database holds {@code before}); whether it was. One round trip instead
     * of the four of {@link SessionRows#update} in a transaction: a turn's time on PostgreSQL is mostly its round trips.
     */
    static boolean append(
            Connection c, String version, Session before, Session after, SessionCache cache, UUID releaseLeaseOf)
            throws SQLException {
        List<Message> messages = after.messages();
        int from = before.messages().size();
        int n = messages.size() - from;
        Object[] positions = new Object[n],
                roles = new Object[n],
                agents = new Object[n],
                contents = new Object[n],
                texts = new Object[n];
        boolean altered = false;
        for (int i = 0; i < n; i++) {
            Message m = messages.get(from + i);
            JsonObject json = MessageJson.toJson(m);
            String content = Json.write(json.getJsonArray("content"));
            String stored = SessionRows.jsonb(content);
            altered |= stored != content;
            positions[i] = from + i;
            roles[i] = json.getString("role");
            agents[i] = m.agent();
            contents[i] = stored;
            texts[i] = SessionRows.noNul(SessionQuery.searchText(m));
        }
        String newVersion;
        try (PreparedStatement st = c.prepareStatement("WITH s AS (UPDATE sessions SET name = ?, model = ?,"
                + " system_prompt = ?, created_at = ?, updated_at = ?, agent = ?, input_tokens = ?, output_tokens = ?,"
                + " cache_read_tokens = ?, cache_write_tokens = ?, remembered_tools = ?, paused_state = ?::jsonb,"
                + " message_count = ? WHERE id = ? AND xmin = ?::xid RETURNING id, xmin::text AS version),"
                + " m AS (INSERT INTO messages (session_id, position, role, agent, content, search_text)"
                + " SELECT s.id, x.position, x.role, x.agent, x.content::jsonb, x.search_text FROM s,"
                + " unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[])"
                + " AS x(position, role, agent, content, search_text))"
                // the turn's lease goes with its last write (only if that write is made)
                + (releaseLeaseOf == null
                        ? ""
                        : ", l AS (DELETE FROM turn_leases WHERE session_id = (SELECT id FROM s) AND instance_id = ?)")
                + " SELECT version FROM s")) {
            altered |= SessionRows.bindSession(c, st, after);
            st.setString(15, version);
            st.setArray(16, c.createArrayOf("int4", positions));
            st.setArray(17, c.createArrayOf("text", roles));
            st.setArray(18, c.createArrayOf("text", agents));
            st.setArray(19, c.createArrayOf("text", contents));
            st.setArray(20, c.createArrayOf("text", texts));
            if (releaseLeaseOf != null) {
                st.setObject(21, releaseLeaseOf);
            }
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return false; // written meanwhile, by this server or another: the caller reads it again
                }
                newVersion = rs.getString(1);
            }
        }
        if (altered) {
            cache.forget(after.id());
        } else {
            cache.put(after.id(), newVersion, after);
        }
        return true;
    }

    /** Deletes the turn lease {@code instance} holds on the session, if it does. */
    static void releaseLease(Connection c, String id, UUID instance) throws SQLException {
        try (PreparedStatement st =
                c.prepareStatement("DELETE FROM turn_leases WHERE session_id = ? AND instance_id = ?")) {
            st.setObject(1, UUID.fromString(id));
            st.setObject(2, instance);
            st.executeUpdate();
        }
    }
}
