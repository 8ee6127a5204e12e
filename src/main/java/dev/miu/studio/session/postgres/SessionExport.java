package dev.miu.studio.session.postgres;

import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.session.SessionSummary;

import java.util.Optional;

/**
 * Copies every session of one store into PostgreSQL, each in its own transaction, skipping those the database
 * already has (by id): running it again copies nothing new, and a run stopped half-way goes on where it stopped.
 */
public final class SessionExport {

    private SessionExport() {}

    /**
     * What a run did.
     *
     * @param copied   sessions written to the database
     * @param messages their messages
     * @param present  sessions the database had already (left as they are there)
     */
    public record Counts(int copied, long messages, int present) {

        /** One line for the terminal. */
        public String describe() {
            if (copied == 0) {
                return "nothing new to copy: the database already has all " + present + " sessions";
            }
            return "copied " + copied + (copied == 1 ? " session" : " sessions") + " (" + messages
                    + (messages == 1 ? " message)" : " messages)")
                    + (present == 0 ? "" : "; " + present + " were already in the database");
        }
    }

    /** Copies the readable sessions of {@code from} (unreadable ones are reported by that store and skipped). */
    public static Counts copy(SessionRepository from, PostgresSessionRepository to) {
        int copied = 0;
        int present = 0;
        long messages = 0;
        for (SessionSummary summary : from.list()) {
            Optional<Session> session = from.find(summary.id());
            if (session.isEmpty()) {
                continue; // deleted meanwhile
            }
            if (to.createIfAbsent(session.get())) {
                copied++;
                messages += session.get().messages().size();
            } else {
                present++;
            }
        }
        return new Counts(copied, messages, present);
    }
}
