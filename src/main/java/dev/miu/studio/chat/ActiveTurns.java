package dev.miu.studio.chat;

import dev.miu.studio.StudioException;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The turns running right now, at most one per session: a second turn on a busy session is refused with 409
 * rather than interleaved, so no message is lost or reordered. Every turn gets a deadline when it begins.
 */
public final class ActiveTurns {

    private final Map<String, ChatTurn> running = new ConcurrentHashMap<>();

    /** Claims {@code sessionId} for a turn that is stopped after {@code timeout}; closing the turn releases it. */
    public ChatTurn begin(String sessionId, Duration timeout) {
        ChatTurn turn = new ChatTurn(sessionId, this, timeout);
        if (running.putIfAbsent(sessionId, turn) != null) {
            throw new StudioException(
                    409, "A turn is already running on this session; wait for it to finish or cancel it");
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
        running.remove(turn.sessionId(), turn);
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
