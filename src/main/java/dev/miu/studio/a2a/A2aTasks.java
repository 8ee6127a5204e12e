package dev.miu.studio.a2a;

import dev.miu.core.message.Usage;
import dev.miu.studio.StudioException;
import dev.miu.studio.chat.ChatEvent;
import dev.miu.studio.chat.ChatRunner;
import dev.miu.studio.chat.ChatTurn;
import dev.miu.studio.chat.TurnResult;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionIds;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.session.SessionTitle;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    A2aTasks(ChatRunner chat, SessionRepository sessions) {
        this.chat = chat;
        this.sessions = sessions;
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
                case AWAITING_APPROVAL ->
                    task.finish(
                            TaskState.INPUT_REQUIRED,
                            result.response(),
                            "Tool calls wait for a person's approval on miu session " + task.contextId()
                                    + " (GET /api/v1/sessions/" + task.contextId() + ", then POST .../approvals/ID)");
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
