package dev.miu.studio.session;

import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The claims on sessions that several servers on one database share, beside each server's own
 * {@code ActiveTurns}: a turn holds its session's lease from begin to close, so a turn on the same session sent to
 * another server answers 409; and the server that holds it can be asked to cancel the turn or to wake it when its
 * approvals were decided elsewhere. {@link #local()} is the one-server store's: nothing is shared.
 */
public interface TurnLeases extends AutoCloseable {

    /** What one server asks of the server running a session's turn. */
    enum Signal {
        /** Stop the turn (a waiting turn has its calls denied, as a local cancel does). */
        CANCEL,
        /** The approvals the turn waits for were decided: it goes on. */
        DECIDED
    }

    /** Takes the lease of {@code sessionId} for this server; false when a live lease of another server holds it. */
    boolean acquire(String sessionId);

    /** Gives the lease back; harmless when it is not held (expired leases are simply taken over). */
    void release(String sessionId);

    /** The other server holding a live lease on {@code sessionId} (its name, for messages), if any. */
    Optional<String> heldElsewhere(String sessionId);

    /** Asks the server holding {@code sessionId}'s lease to act on its turn. */
    void signal(String sessionId, Signal signal);

    /** Where signals from other servers for turns of this one go (session id, signal); set once, by the runner. */
    void onSignal(BiConsumer<String, Signal> handler);

    @Override
    void close();

    /** A single server's leases: its own {@code ActiveTurns} is all the claim there is. */
    static TurnLeases local() {
        return Local.INSTANCE;
    }

    /** Nothing to share. */
    enum Local implements TurnLeases {
        INSTANCE;

        @Override
        public boolean acquire(String sessionId) {
            return true;
        }

        @Override
        public void release(String sessionId) {}

        @Override
        public Optional<String> heldElsewhere(String sessionId) {
            return Optional.empty();
        }

        @Override
        public void signal(String sessionId, Signal signal) {}

        @Override
        public void onSignal(BiConsumer<String, Signal> handler) {}

        @Override
        public void close() {}
    }
}
