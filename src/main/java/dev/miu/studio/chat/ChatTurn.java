package dev.miu.studio.chat;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One claimed turn on a session, and the handle to cancel it. Cancelling interrupts the thread running the
 * agent (the agent then ends with {@code CANCELLED}, keeping the history valid), but only while the agent runs:
 * an interrupt must never reach the session store's file writes, which an interrupt would abort.
 */
public final class ChatTurn implements AutoCloseable {

    private final String sessionId;
    private final ActiveTurns owner;
    private final ReentrantLock lock = new ReentrantLock();
    private Thread agentThread;
    private boolean cancelled;

    ChatTurn(String sessionId, ActiveTurns owner) {
        this.sessionId = sessionId;
        this.owner = owner;
    }

    public String sessionId() {
        return sessionId;
    }

    /** Stops the turn as soon as possible; harmless after it has finished. */
    public void cancel() {
        lock.lock();
        try {
            cancelled = true;
            if (agentThread != null) {
                agentThread.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    public boolean isCancelled() {
        lock.lock();
        try {
            return cancelled;
        } finally {
            lock.unlock();
        }
    }

    /** The current thread starts running the agent; a cancel that came first takes effect at once. */
    void agentStarted() {
        lock.lock();
        try {
            agentThread = Thread.currentThread();
            if (cancelled) {
                agentThread.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The agent is done; from here on a cancel does nothing, and a late interrupt is cleared. */
    void agentFinished() {
        lock.lock();
        try {
            agentThread = null;
        } finally {
            lock.unlock();
        }
        Thread.interrupted();
    }

    /** Releases the session for the next turn; closing twice is harmless. */
    @Override
    public void close() {
        owner.release(this);
    }
}
