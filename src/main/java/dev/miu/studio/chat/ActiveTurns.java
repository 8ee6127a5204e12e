package dev.miu.studio.chat;

import dev.miu.studio.StudioException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The turns running right now, at most one per session: a second turn on a busy session is refused with 409
 * rather than interleaved, so no message is lost or reordered.
 */
public final class ActiveTurns {

    private final Map<String, ChatTurn> running = new ConcurrentHashMap<>();

    /** Claims {@code sessionId} for a turn; closing the turn releases it. */
    public ChatTurn begin(String sessionId) {
        ChatTurn turn = new ChatTurn(sessionId, this);
        if (running.putIfAbsent(sessionId, turn) != null) {
            throw new StudioException(409, "A turn is already running on this session; wait for it to finish or cancel it");
        }
        return turn;
    }

    public boolean isRunning(String sessionId) {
        return running.containsKey(sessionId);
    }

    void release(ChatTurn turn) {
        running.remove(turn.sessionId(), turn);
    }
}
