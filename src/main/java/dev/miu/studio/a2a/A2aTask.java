package dev.miu.studio.a2a;

import dev.miu.studio.chat.ChatTurn;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
    /** The approval ids of the session's calls this task waits on since its run paused; empty when none. */
    private Set<String> awaiting = Set.of();

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
        finish(end, text, message, Set.of());
    }

    /** {@link #finish}, for a run that paused on the approvals {@code waitingFor}, which the task follows. */
    void finish(TaskState end, String text, String message, Set<String> waitingFor) {
        lock.lock();
        try {
            awaiting = Set.copyOf(waitingFor);
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

    /** The approval ids the paused run waits on; empty when it does not wait (it runs, or ended). */
    Set<String> awaiting() {
        lock.lock();
        try {
            return awaiting;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The session's run, paused on {@code was}, went on outside this task's turn (a person decided): the task moves
     * to {@code next} with {@code text} as its new answer (none: the one it had stays), waiting on {@code
     * waitingFor} when it paused again. Does nothing when the task no longer waits on {@code was} (another report of
     * the same continuation moved it, or it was cancelled), or for a repeat of the state it is in.
     *
     * @return whether the task changed
     */
    boolean moveOn(Set<String> was, TaskState next, String text, String message, Set<String> waitingFor) {
        lock.lock();
        try {
            if (was.isEmpty() || !awaiting.equals(was)) {
                return false;
            }
            boolean sameText = text == null || text.isEmpty() || text.equals(answer);
            if (next == state && waitingFor.equals(was) && sameText) {
                return false;
            }
            if (!sameText) {
                updates.add(new TaskUpdate.Artifact(text, false, true));
                answer = text;
            }
            awaiting = Set.copyOf(waitingFor);
            move(next, message);
            return true;
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
            // on a task paused for approval it waits for the run to go on, and ends where it stops again
            return new Subscription(snapshot(), updates.size(), state == TaskState.INPUT_REQUIRED);
        } finally {
            lock.unlock();
        }
    }

    final class Subscription {
        private final View first;
        private final int start;
        private final boolean throughPause;
        private int next;

        private Subscription(View first, int next, boolean throughPause) {
            this.first = first;
            this.start = next;
            this.next = next;
            this.throughPause = throughPause;
        }

        /** Whether the task is where this subscription stops (lock held): ended, or paused after its start. */
        private boolean stopsHere() {
            return state.terminal() || (state.settled() && !(throughPause && next == start));
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
                while (next >= updates.size() && !stopsHere() && left > 0) {
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
                return next >= updates.size() && stopsHere();
            } finally {
                lock.unlock();
            }
        }
    }
}
