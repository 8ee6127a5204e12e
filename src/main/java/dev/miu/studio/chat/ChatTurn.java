package dev.miu.studio.chat;

import dev.miu.core.agent.Agent;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One claimed turn on a session, and the handle to cancel it. Cancelling interrupts the thread running the
 * agent (the agent then ends with {@code CANCELLED}, keeping the history valid), but only while the agent runs:
 * an interrupt must never reach the session store's file writes, which an interrupt would abort. A turn that
 * outlives its deadline is cancelled the same way and marked {@linkplain #timedOut() timed out}.
 */
public final class ChatTurn implements AutoCloseable {

    private final String sessionId;
    private final ActiveTurns owner;
    private final Duration timeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final CountDownLatch closed = new CountDownLatch(1);
    private Thread agentThread;
    private boolean cancelled;
    private volatile boolean timedOut;
    private volatile Future<?> deadline;
    private Agent agent;
    private String agentName;
    private String statelessSystem;

    ChatTurn(String sessionId, ActiveTurns owner, Duration timeout) {
        this.sessionId = sessionId;
        this.owner = owner;
        this.timeout = timeout;
    }

    public String sessionId() {
        return sessionId;
    }

    /** The agent this turn runs, built when it began from the session's agent, model and system prompt. */
    void prepare(Agent agent, String agentName) {
        this.agent = agent;
        this.agentName = agentName;
    }

    Agent agent() {
        return agent;
    }

    /** Marks a turn of no session; {@code system} is the request's own system text (or null). */
    void stateless(String system) {
        this.statelessSystem = system;
    }

    String statelessSystem() {
        return statelessSystem;
    }

    String agentName() {
        return agentName;
    }

    /** How long the turn may run in all ({@code agent.turn-timeout}). */
    public Duration timeout() {
        return timeout;
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

    /** Whether the turn was stopped because it ran past its deadline. */
    public boolean timedOut() {
        return timedOut;
    }

    void timeOut() {
        timedOut = true;
        cancel();
    }

    void deadline(Future<?> scheduled) {
        deadline = scheduled;
        if (closed.getCount() == 0) {
            scheduled.cancel(false);
        }
    }

    /** Waits up to {@code wait} for the turn to end and free its session; true if it has. */
    public boolean awaitClosed(Duration wait) throws InterruptedException {
        return closed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
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
        Future<?> scheduled = deadline;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        owner.release(this);
        closed.countDown();
    }
}
