package dev.miu.studio.a2a;

import dev.miu.studio.chat.ChatTurn;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One task: one turn of an agent on the session its context names. The turn's thread reports progress here; any
 * number of streams read the updates in order, and a blocking send or a cancel waits for a settled state.
 */
final class A2aTask {

    /** Status updates and answer pieces of a running task, kept until it settles so late subscribers see all. */
    private final List<TaskUpdate> updates = new ArrayList<>();

    private final String id;
    private final String contextId;
    private final String agent;
    private final TextMessage request;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private TaskState state = TaskState.SUBMITTED;
    private String statusMessage;
    private Instant timestamp = Instant.now();
    private final StringBuilder streamed = new StringBuilder();
    private String answer;
    private ChatTurn turn;

    A2aTask(String id, String contextId, String agent, TextMessage request) {
        this.id = id;
        this.contextId = contextId;
        this.agent = agent;
        this.request = request;
    }

    String id() {
        return id;
    }

    String contextId() {
        return contextId;
    }

    String agent() {
        return agent;
    }

    /** A copy of the task as it is now. */
    record View(
            String id,
            String contextId,
            TaskState state,
            String statusMessage,
            Instant timestamp,
            String answer,
            TextMessage request) {}

    View view() {
        lock.lock();
        try {
            return snapshot();
        } finally {
            lock.unlock();
        }
    }

    private View snapshot() {
        String text = answer != null ? answer : streamed.isEmpty() ? null : streamed.toString();
        return new View(id, contextId, state, statusMessage, timestamp, text, request);
    }

    /** The turn runs: it can be cancelled from now on. */
    void started(ChatTurn running) {
        lock.lock();
        try {
            turn = running;
            move(TaskState.WORKING, null);
        } finally {
            lock.unlock();
        }
    }

    /** A piece of the agent's answer as it streams. */
    void chunk(String text) {
        if (text.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            updates.add(new TaskUpdate.Artifact(text, !streamed.isEmpty(), false));
            streamed.append(text);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The turn ended with {@code text} as its answer: the last artifact piece (the rest of what streamed, or the
     * whole text when it is not what streamed, as when a composite's sub-agent wrote it) and the final status.
     */
    void finish(TaskState end, String text, String message) {
        lock.lock();
        try {
            if (text != null && !text.isEmpty()) {
                String sent = streamed.toString();
                boolean continues = text.startsWith(sent);
                updates.add(new TaskUpdate.Artifact(
                        continues ? text.substring(sent.length()) : text, continues && !sent.isEmpty(), true));
                answer = text;
            }
            turn = null;
            move(end, message);
        } finally {
            lock.unlock();
        }
    }

    private void move(TaskState next, String message) {
        state = next;
        statusMessage = message;
        timestamp = Instant.now();
        updates.add(new TaskUpdate.Status(next, message, timestamp));
        changed.signalAll();
    }

    /**
     * Asks the running turn to stop and waits up to {@code wait} for the task to settle.
     *
     * @return false when the task had already settled, so there was nothing to cancel
     */
    boolean cancel(Duration wait) throws InterruptedException {
        ChatTurn running;
        lock.lock();
        try {
            if (state.settled()) {
                return false;
            }
            running = turn;
        } finally {
            lock.unlock();
        }
        if (running != null) {
            running.cancel();
        }
        awaitSettled(wait);
        return true;
    }

    /** Waits until the task is completed, failed, canceled or paused for input, at most {@code wait}. */
    View awaitSettled(Duration wait) throws InterruptedException {
        long left = wait.toNanos();
        lock.lock();
        try {
            while (!state.settled() && left > 0) {
                left = changed.awaitNanos(left);
            }
            return snapshot();
        } finally {
            lock.unlock();
        }
    }

    /** A subscription: the task as it was when it began, then every later update in order. */
    Subscription subscribe() {
        lock.lock();
        try {
            return new Subscription(snapshot(), updates.size());
        } finally {
            lock.unlock();
        }
    }

    final class Subscription {
        private final View first;
        private int next;

        private Subscription(View first, int next) {
            this.first = first;
            this.next = next;
        }

        View first() {
            return first;
        }

        /**
         * The next update, waiting up to {@code wait} for it; null when the task has settled and everything was
         * read, or when nothing came in time (check {@link #done}).
         */
        TaskUpdate next(Duration wait) throws InterruptedException {
            lock.lock();
            try {
                long left = wait.toNanos();
                while (next >= updates.size() && !state.settled() && left > 0) {
                    left = changed.awaitNanos(left);
                }
                return next < updates.size() ? updates.get(next++) : null;
            } finally {
                lock.unlock();
            }
        }

        boolean done() {
            lock.lock();
            try {
                return state.settled() && next >= updates.size();
            } finally {
                lock.unlock();
            }
        }
    }
}
