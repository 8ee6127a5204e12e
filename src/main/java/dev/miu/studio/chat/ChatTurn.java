package dev.miu.studio.chat;

import dev.miu.agents.SamplingLimits;
import dev.miu.core.agent.Agent;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One claimed turn on a session, and the handle to cancel it. Cancelling interrupts the thread running the
 * agent (the agent then ends with {@code CANCELLED}, keeping the history valid), but only while the agent runs:
 * an interrupt must never reach the session store's file writes, which an interrupt would abort. A turn that
 * outlives its deadline is cancelled the same way and marked {@linkplain #timedOut() timed out}.
 */
public final class ChatTurn implements AutoCloseable, StoppingTurn {

    private final String sessionId;
    private final ActiveTurns owner;
    private final Duration timeout;
    private final boolean shared;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the calls a waiting turn paused at are all decided, or when it is cancelled. */
    private final Condition waitEnds = lock.newCondition();

    private final CountDownLatch closed = new CountDownLatch(1);
    /** Counted down by the stream or socket showing the turn's events once it has sent the last one. */
    private final CountDownLatch streamed = new CountDownLatch(1);
    /** Its client is connected and sees approval requests as they come (a stream), so a pause may wait for it. */
    private volatile boolean clientWatches;

    private boolean waiting;
    private boolean decided;
    private Thread agentThread;
    private boolean cancelled;
    private volatile boolean timedOut;
    private volatile Future<?> deadline;
    private Agent agent;
    private String agentName;
    private String statelessSystem;
    private SamplingLimits limits = SamplingLimits.NONE;

    ChatTurn(String sessionId, ActiveTurns owner, Duration timeout, boolean shared) {
        this.sessionId = sessionId;
        this.owner = owner;
        this.timeout = timeout;
        this.shared = shared;
    }

    /** Whether the turn holds a lease other servers see (a session's turn; not a stateless one). */
    boolean shared() {
        return shared;
    }

    public String sessionId() {
        return sessionId;
    }

    /**
     * The agent this turn runs, built when it began from the session's agent, model and system prompt and the
     * request's {@code limits}, which a sub-agent made later in the turn (one that paused under a router) gets too.
     */
    void prepare(Agent agent, String agentName, SamplingLimits limits) {
        this.agent = agent;
        this.agentName = agentName;
        this.limits = limits;
    }

    SamplingLimits limits() {
        return limits;
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

    /** Stops the turn as soon as possible (a turn waiting for decisions stops waiting); harmless after it has ended. */
    public void cancel() {
        lock.lock();
        try {
            cancelled = true;
            if (agentThread != null) {
                agentThread.interrupt();
            }
            waitEnds.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Says that the client of this turn is connected and shown its events as they come (a stream or a WebSocket),
     * so that a pause for approval may wait for it to decide ({@code agent.approval-timeout}) instead of ending the
     * turn at once.
     */
    public void clientWatches() {
        clientWatches = true;
    }

    boolean isClientWatching() {
        return clientWatches;
    }

    /**
     * The client's stream or socket (see {@link #clientWatches}) has sent this turn's last event (done or an
     * error): a server stopping after it loses nothing the client was to see.
     */
    public void streamEnded() {
        streamed.countDown();
    }

    /** Waits up to {@code wait} for {@link #streamEnded}; true if it came. */
    boolean awaitStreamEnded(Duration wait) throws InterruptedException {
        return streamed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the turn is paused, waiting for its calls to be decided, with its client connected. */
    boolean isWaiting() {
        lock.lock();
        try {
            return waiting && !cancelled; // a cancelled one is ending: its client left
        } finally {
            lock.unlock();
        }
    }

    /** The turn begins to wait for decisions: from here on a decision goes to it instead of claiming the session. */
    void startWaiting() {
        lock.lock();
        try {
            waiting = true;
            decided = false;
        } finally {
            lock.unlock();
        }
    }

    /** Every call the waiting turn paused at is decided: it goes on. */
    void decisionsMade() {
        lock.lock();
        try {
            decided = true;
            waitEnds.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code max} for {@link #decisionsMade}; false when the wait ended otherwise (time up, cancelled,
     * its client gone). Either way the turn no longer waits when this returns.
     */
    boolean awaitDecisions(Duration max) {
        lock.lock();
        try {
            long left = max.toNanos();
            while (!decided && !cancelled && left > 0) {
                left = waitEnds.awaitNanos(left);
            }
            return decided;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return decided;
        } finally {
            waiting = false;
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
        Future<?> before = deadline;
        if (before != null) {
            before.cancel(false);
        }
        deadline = scheduled;
        if (closed.getCount() == 0) {
            scheduled.cancel(false);
        }
    }

    /** While it waits for a person, a turn's own run time does not count: its deadline is off. */
    void stopDeadline() {
        Future<?> scheduled = deadline;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    /** Waits up to {@code wait} for the turn to end and free its session; true if it has. */
    @Override
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
