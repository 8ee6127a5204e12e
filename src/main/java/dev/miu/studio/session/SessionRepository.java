package dev.miu.studio.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where sessions live. Implementations are safe for concurrent use; {@link #update} is atomic per session, so a
 * rename and a finishing chat turn never lose each other's change. Ids passed in are already validated UUIDs.
 */
public interface SessionRepository {

    /** Stores a new session; its id must not exist yet. */
    Session create(Session session);

    Optional<Session> find(String id);

    /**
     * {@link #find}, as a turn of this server begins on the session. A store that servers share also takes the
     * session's {@link TurnLeases turn lease} for this server in the same step when it is free, so the turn's
     * {@link TurnLeases#acquire} finds it taken; the caller releases a lease its turn then does not use. A store of
     * one server just finds the session.
     */
    default Optional<Session> findForTurn(String id) {
        return find(id);
    }

    /** Every readable session, most recently updated first. Unreadable ones are reported and skipped. */
    List<SessionSummary> list();

    /**
     * One page of the list, filtered ({@link SessionQuery}). This default, used by the file store, reads every summary
     * and, to search text, each candidate session (the file store keeps recent ones in memory); a database store
     * answers with one query.
     */
    default SessionPage list(SessionQuery query) {
        List<SessionSummary> matching = new ArrayList<>();
        List<SessionSummary> all = new ArrayList<>(list());
        all.sort(java.util.Comparator.comparing(SessionSummary::updatedAt)
                .thenComparing(SessionSummary::id)
                .reversed());
        for (SessionSummary s : all) {
            if (matching.size() > query.limit()) {
                break;
            }
            if ((query.cursor() == null || query.cursor().isBefore(s))
                    && query.matchesAgent(s)
                    && (query.text() == null
                            || find(s.id()).map(query::matchesText).orElse(false))) {
                matching.add(s);
            }
        }
        return SessionPage.of(matching, query.limit());
    }

    /**
     * Applies {@code change} to the stored session and stores the result, atomically for that session.
     *
     * @return the stored result, or empty if there is no such session
     */
    Optional<Session> update(String id, UnaryOperator<Session> change);

    /**
     * {@link #update}, for the write that ends a turn of this server on the session: a store that servers share gives
     * back the turn's {@link TurnLeases lease} in the same step, so the session is free for the next turn, on any
     * server, the moment this one is stored (its {@link TurnLeases#release} then has nothing left to do).
     */
    default Optional<Session> updateEndingTurn(String id, UnaryOperator<Session> change) {
        return update(id, change);
    }

    /**
     * Applies {@code change} for every reader of this store on this server at once (a store that servers share
     * shows it to the others with the session's next update), but makes it durable only with the session's next
     * {@link #update}: a crash before then loses it. A chat turn stages the user's message this way and stores
     * it durably together with the answer, so a turn waits for one journal write (and with {@code sessions.sync:
     * always}, one disk flush), not two.
     *
     * @return the staged result, or empty if there is no such session
     */
    Optional<Session> stage(String id, UnaryOperator<Session> change);

    /** Writes out whatever is kept only in memory or behind; durable writes are durable without it. */
    default void flush() {}

    /**
     * At shutdown: writes out what is behind and leaves the store so the next start has no recovery work to do.
     * The store stays usable; durable writes are durable without it.
     */
    default void shutdown() {
        flush();
    }

    /** Releases what the store holds open (a database's connections); the store is not used after. */
    default void close() {}

    /** Deletes a session; whether there was one to delete. */
    boolean delete(String id);

    /** Whether the store can be read and written right now (for {@code /ready}). */
    boolean isReady();

    /** Where the sessions are kept, for the start-up log. */
    String describe();
}
