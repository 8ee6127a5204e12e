package dev.miu.studio.chat;

import dev.miu.studio.StudioException;
import dev.miu.studio.session.TurnLeases;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The turns running right now, at most one per session: a second turn on a busy session is refused with 409
 * rather than interleaved, so no message is lost or reordered. Every turn gets a deadline when it begins. With
 * servers sharing a database, a session's turn also holds its {@link TurnLeases lease}, so the one-turn rule holds
 * across them.
 */
public final class ActiveTurns {

    private static final System.Logger LOG = System.getLogger(ActiveTurns.class.getName());

    private final Map<String, ChatTurn> running = new ConcurrentHashMap<>();
    private final TurnLeases leases;

    /** One server's turns, shared with no other. */
    public ActiveTurns() {
        this(TurnLeases.local());
    }

    /** Turns whose sessions are also claimed in {@code leases}. */
    public ActiveTurns(TurnLeases leases) {
        this.leases = java.util.Objects.requireNonNull(leases, "leases");
    }

    TurnLeases leases() {
        return leases;
    }

    /**
     * Claims {@code sessionId} for a turn that is stopped after {@code timeout}; closing the turn releases it.
     *
     * @throws StudioException 409 when a turn runs on the session here or on another server
     */
    public ChatTurn begin(String sessionId, Duration timeout) {
        return begin(sessionId, timeout, true);
    }

    /** {@link #begin(String, Duration)}; a turn of no session ({@code shared} false) takes no lease. */
    ChatTurn begin(String sessionId, Duration timeout, boolean shared) {
        ChatTurn turn = new ChatTurn(sessionId, this, timeout, shared);
        if (running.putIfAbsent(sessionId, turn) != null) {
            throw new StudioException(
                    409, "A turn is already running on this session; wait for it to finish or cancel it");
        }
        boolean leased = false;
        try {
            leased = !shared || leases.acquire(sessionId);
        } finally {
            if (!leased) {
                running.remove(sessionId, turn); // refused, or the database failed: no claim stays behind
            }
        }
        if (!leased) {
            throw new StudioException(
                    409,
                    "A turn is already running on this session (on another server); wait for it to finish or cancel"
                            + " it");
        }
        turn.deadline(Timers.EXECUTOR.schedule(turn::timeOut, timeout.toMillis(), TimeUnit.MILLISECONDS));
        return turn;
    }

    public boolean isRunning(String sessionId) {
        return running.containsKey(sessionId);
    }

    /** The turn of {@code sessionId} paused and waiting for its calls to be decided by a connected client, if any. */
    Optional<ChatTurn> waiting(String sessionId) {
        ChatTurn turn = running.get(sessionId);
        return turn != null && turn.isWaiting() ? Optional.of(turn) : Optional.empty();
    }

    /** Every turn paused here and waiting for its calls to be decided by a connected client. */
    java.util.List<ChatTurn> waiting() {
        return running.values().stream().filter(ChatTurn::isWaiting).toList();
    }

    /** Gives a turn that waited for a person its whole {@code timeout} again for what it does next. */
    void restartDeadline(ChatTurn turn) {
        turn.deadline(Timers.EXECUTOR.schedule(turn::timeOut, turn.timeout().toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Asks the turn running on {@code sessionId}, whoever started it, to stop; empty when none runs. */
    public Optional<ChatTurn> cancel(String sessionId) {
        ChatTurn turn = running.get(sessionId);
        if (turn != null) {
            turn.cancel();
        }
        return Optional.ofNullable(turn);
    }

    void release(ChatTurn turn) {
        if (running.remove(turn.sessionId(), turn) && turn.shared()) {
            try {
                leases.release(turn.sessionId());
            } catch (RuntimeException e) {
                // the database is away: the lease expires on its own, as a crashed server's does
                LOG.log(
                        System.Logger.Level.WARNING,
                        "Could not release the lease of session " + turn.sessionId() + "; it expires on its own: "
                                + e.getMessage());
            }
        }
    }

    /** One daemon thread for all turns' deadlines; a finished turn removes its deadline at once. */
    private static final class Timers {
        static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            var executor = new ScheduledThreadPoolExecutor(
                    1, Thread.ofPlatform().daemon().name("miu-turn-deadlines").factory());
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    }
}
