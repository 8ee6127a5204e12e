package dev.miu.studio.a2a;

import dev.miu.core.message.Usage;
import dev.miu.studio.StudioException;
import dev.miu.studio.chat.ChatEvent;
import dev.miu.studio.chat.ChatRunner;
import dev.miu.studio.chat.ChatTurn;
import dev.miu.studio.chat.StoppingTurn;
import dev.miu.studio.chat.TurnResult;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionApprovals;
import dev.miu.studio.session.SessionIds;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.session.SessionTitle;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Starts tasks and keeps the latest {@value #MAX_TASKS} of them in memory, so a client can read or cancel one. A
 * task's turn runs on its own virtual thread, so it goes on when the connection that started it closes (as A2A
 * says: a task outlives its streams); a context is the id of the miu session the turns are stored in.
 */
final class A2aTasks {

    static final int MAX_TASKS = 500;
    private static final System.Logger LOG = System.getLogger(A2aTasks.class.getName());

    private final ChatRunner chat;
    private final SessionRepository sessions;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, A2aTask> tasks = new LinkedHashMap<>();
    private final PausedTasks paused;

    A2aTasks(ChatRunner chat, SessionRepository sessions) {
        this.chat = chat;
        this.sessions = sessions;
        this.paused = new PausedTasks(sessions);
        chat.onContinuationEnded(this::continued);
    }

    /**
     * Starts a turn of {@code agent} on {@code message}: in the session its context names, else in a new session
     * whose id is the new context's.
     *
     * @throws A2aError invalid params (unknown or another agent's context, a task id), unsupported operation (a turn
     *                  already runs in the context), internal (no provider, too many running tasks)
     */
    Started start(String agent, TextMessage message) {
        if (message.taskId() != null) {
            A2aTask earlier = find(agent, message.taskId());
            if (message.contextId() != null && !message.contextId().equals(earlier.contextId())) {
                throw A2aError.invalidParams("The message's contextId is not the one of task " + earlier.id());
            }
            throw A2aError.unsupported(
                    "Task " + earlier.id() + " is " + earlier.view().state().v03()
                            + " and takes no more messages; send a new message with its contextId to go on in that"
                            + " conversation");
        }
        String sessionId = message.contextId() != null ? existing(agent, message.contextId()) : newSession(agent);
        ChatTurn turn;
        try {
            turn = chat.begin(sessionId);
        } catch (StudioException e) {
            throw switch (e.status()) {
                case 404 -> A2aError.invalidParams("Unknown contextId " + sessionId);
                case 409 -> A2aError.unsupported(e.detail());
                default -> new A2aError(A2aError.INTERNAL, e.detail());
            };
        }
        var task = new A2aTask(
                UUID.randomUUID().toString(),
                sessionId,
                agent,
                new TextMessage(message.messageId(), true, message.text(), sessionId, null));
        try {
            keep(task);
        } catch (A2aError e) {
            turn.close();
            throw e;
        }
        task.started(turn);
        // subscribed before the turn runs: a stream shows the task working, then every update, however fast it is
        A2aTask.Subscription fromStart = task.subscribe();
        Thread.ofVirtual().name("miu-a2a-task-" + task.id()).start(() -> run(task, turn, message.text()));
        return new Started(task, fromStart);
    }

    /** A task just started, and a subscription to it from the moment it began working. */
    record Started(A2aTask task, A2aTask.Subscription fromStart) {}

    /** The task {@code id} of {@code agent}. */
    A2aTask find(String agent, String id) {
        lock.lock();
        try {
            A2aTask task = tasks.get(id);
            if (task == null || !task.agent().equals(agent)) {
                throw A2aError.taskNotFound(id);
            }
            return task;
        } finally {
            lock.unlock();
        }
    }

    /** Brings {@code task} up to date with its session when its run paused for approval ({@link PausedTasks}). */
    void refresh(A2aTask task) {
        paused.refresh(task);
    }

    /** A paused run of session {@code sessionId} went on here and ended: its waiting tasks move on. */
    private void continued(String sessionId, TurnResult result) {
        List<A2aTask> waiting;
        lock.lock();
        try {
            waiting = tasks.values().stream()
                    .filter(t ->
                            t.contextId().equals(sessionId) && !t.awaiting().isEmpty())
                    .toList();
        } finally {
            lock.unlock();
        }
        waiting.forEach(t -> paused.continued(t, result));
    }

    /**
     * Cancels {@code task}. One paused for approval has the calls it waits on denied ({@code decidedBy} in the
     * audit) so the session's history stays valid, the continuation that says so to the model running on its own
     * thread, or the continuation already going on stopped; the task ends canceled either way.
     *
     * @return false when the task had already ended, so there was nothing to cancel
     */
    boolean cancel(A2aTask task, Duration wait, SessionApprovals.Decider decidedBy) throws InterruptedException {
        Set<String> was = task.awaiting();
        if (was.isEmpty()) {
            return task.cancel(wait);
        }
        Optional<ChatTurn> denied;
        try {
            Optional<StoppingTurn> stopping = chat.cancel(task.contextId(), decidedBy);
            denied = stopping.isEmpty()
                    ? chat.denyAll(task.contextId(), ChatRunner.CANCELLED_BY_USER, decidedBy)
                    : Optional.empty();
            if (stopping.isPresent()) {
                stopping.get().awaitClosed(wait); // the continuation that went on stops, and says so
            }
        } catch (StudioException e) {
            throw new A2aError(
                    A2aError.INTERNAL,
                    "The calls waiting on session " + task.contextId() + " could not be denied: " + e.detail());
        }
        // canceled before the denials' continuation runs, so its end does not complete the task
        boolean moved = task.moveOn(
                was, TaskState.CANCELED, null, "The task was cancelled; the calls that waited were denied", Set.of());
        denied.ifPresent(
                turn -> Thread.ofVirtual().name("miu-a2a-deny-" + task.id()).start(() -> tellModel(turn)));
        return moved || task.view().state() == TaskState.CANCELED;
    }

    /** The continuation after a cancel's denials: the model reads them, and what it says is stored. */
    private void tellModel(ChatTurn turn) {
        try (turn) {
            chat.resume(turn, event -> {});
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "The run of session " + turn.sessionId() + " after a cancel failed",
                    e);
        }
    }

    private void run(A2aTask task, ChatTurn turn, String text) {
        try (turn) {
            TurnResult result = chat.run(turn, text, event -> {
                // the session's own agent's text streams; a sub-agent's comes whole with the answer at the end
                if (event instanceof ChatEvent.Chunk c && c.agent() == null) {
                    task.chunk(c.content());
                }
            });
            switch (result.stopReason()) {
                case CANCELLED -> task.finish(TaskState.CANCELED, result.response(), "The task was cancelled");
                case AWAITING_APPROVAL -> {
                    task.finish(
                            TaskState.INPUT_REQUIRED,
                            result.response(),
                            PausedTasks.pauseMessage(task.contextId()),
                            PausedTasks.approvalIds(result.pendingApprovals()));
                    paused.refresh(task); // a decision quicker than this task's own end went on unseen
                }
                case ERROR -> task.finish(TaskState.FAILED, result.response(), "The agent's run failed");
                default -> task.finish(TaskState.COMPLETED, result.response(), null);
            }
        } catch (StudioException e) {
            task.finish(TaskState.FAILED, null, e.detail());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "A2A task " + task.id() + " failed", e);
            task.finish(TaskState.FAILED, null, "Internal error; see the server log");
        }
    }

    private String existing(String agent, String contextId) {
        String id = SessionIds.normalize(contextId);
        Optional<Session> session = id == null ? Optional.empty() : sessions.find(id);
        if (session.isEmpty()) {
            throw A2aError.invalidParams("Unknown contextId '" + contextId
                    + "': a context is a session this server made; omit contextId to start a new one");
        }
        String owner = session.get().agent() != null
                ? session.get().agent()
                : chat.agents().defaultAgent();
        if (!owner.equals(agent)) {
            throw A2aError.invalidParams(
                    "Context " + id + " is a conversation with agent '" + owner + "', not '" + agent + "'");
        }
        return id;
    }

    /** A new session of {@code agent} with the agent's own model and instructions (null: they come at turn time). */
    private String newSession(String agent) {
        Instant now = Instant.now();
        return sessions.create(new Session(
                        SessionIds.newId(), SessionTitle.UNTITLED, null, null, now, now, List.of(), Usage.ZERO, agent))
                .id();
    }

    /** Keeps {@code task}, dropping the oldest settled one when full; refuses when every kept task still runs. */
    private void keep(A2aTask task) {
        lock.lock();
        try {
            if (tasks.size() >= MAX_TASKS) {
                Iterator<A2aTask> oldest = tasks.values().iterator();
                boolean dropped = false;
                while (oldest.hasNext() && !dropped) {
                    if (oldest.next().view().state().settled()) {
                        oldest.remove();
                        dropped = true;
                    }
                }
                if (!dropped) {
                    throw new A2aError(
                            A2aError.INTERNAL, "Too many running tasks (" + MAX_TASKS + "); try again later");
                }
            }
            tasks.put(task.id(), task);
        } finally {
            lock.unlock();
        }
    }
}
