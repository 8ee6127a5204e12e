package dev.miu.studio.mcp;

import dev.miu.studio.chat.ChatTurn;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@code tools/call} being answered, and the way to stop it: {@code notifications/cancelled} (or the end of its
 * MCP session) cancels the chat turn it runs, also when the cancel arrives before the turn has begun.
 */
final class InFlightCall {

    private final ReentrantLock lock = new ReentrantLock();
    private boolean cancelled;
    private ChatTurn turn;

    /** The call now runs {@code claimed}; a cancel that came first stops it at once. */
    void attach(ChatTurn claimed) {
        lock.lock();
        try {
            turn = claimed;
            if (cancelled) {
                claimed.cancel();
            }
        } finally {
            lock.unlock();
        }
    }

    void cancel() {
        lock.lock();
        try {
            cancelled = true;
            if (turn != null) {
                turn.cancel();
            }
        } finally {
            lock.unlock();
        }
    }

    boolean isCancelled() {
        lock.lock();
        try {
            return cancelled;
        } finally {
            lock.unlock();
        }
    }
}
