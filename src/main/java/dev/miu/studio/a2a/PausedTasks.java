package dev.miu.studio.a2a;

import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
import dev.miu.core.message.StopReason;
import dev.miu.studio.chat.TurnResult;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionApprovals;
import dev.miu.studio.session.SessionRepository;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Moves a task whose run paused for approval on once a person decides, wherever that happens: the studio's route,
 * its web UI or WebSocket go on with the session's run, not with the task's turn. Two ways, since the run may go on
 * on another server sharing the database: told by this server's {@code ChatRunner} when a continuation ends
 * ({@link #continued}), and by reading the stored session when a client reads the task ({@link #refresh}).
 */
final class PausedTasks {

    private static final System.Logger LOG = System.getLogger(PausedTasks.class.getName());

    private final SessionRepository sessions;

    PausedTasks(SessionRepository sessions) {
        this.sessions = sessions;
    }

    /** What the status message of a task paused for approval says: where to decide. */
    static String pauseMessage(String sessionId) {
        return "Tool calls wait for a person's approval on miu session " + sessionId + " (GET /api/v1/sessions/"
                + sessionId + ", then POST .../approvals/ID); this task goes on once they are decided";
    }

    /** The approval ids of a turn's {@code pending_approvals}. */
    static Set<String> approvalIds(JsonArray pending) {
        if (pending == null) {
            return Set.of();
        }
        return pending.stream()
                .filter(v -> v.getValueType() == JsonValue.ValueType.OBJECT)
                .map(v -> ((JsonObject) v).getString("approval_id", null))
                .filter(id -> id != null)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The continuation of {@code task}'s session ended here with {@code result} (null: it failed, and the session
     * says what waits now).
     */
    void continued(A2aTask task, TurnResult result) {
        Set<String> was = task.awaiting();
        if (was.isEmpty()) {
            return;
        }
        Set<String> next = result == null ? Set.of() : approvalIds(result.pendingApprovals());
        if (result == null || (result.stopReason() == StopReason.AWAITING_APPROVAL && next.isEmpty())) {
            refresh(task); // a failure, or a pause whose calls were decided as it ended: the store knows
            return;
        }
        if (!Collections.disjoint(next, was)) {
            return; // the pause the task already waits on
        }
        switch (result.stopReason()) {
            case CANCELLED ->
                task.moveOn(was, TaskState.CANCELED, result.response(), "The run was cancelled", Set.of());
            case AWAITING_APPROVAL ->
                task.moveOn(was, TaskState.INPUT_REQUIRED, result.response(), pauseMessage(task.contextId()), next);
            case ERROR -> task.moveOn(was, TaskState.FAILED, result.response(), "The agent's run failed", Set.of());
            default -> end(task, was, result.response(), audited(task.contextId(), was));
        }
    }

    /** The calls of {@code was} in the audit of session {@code id}; empty when it cannot be read. */
    private List<SessionApprovals.Item> audited(String id, Set<String> was) {
        try {
            return sessions.find(id)
                    .map(s -> s.approvals().audit().stream()
                            .filter(i -> was.contains(i.approvalId()))
                            .toList())
                    .orElse(List.of());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not read session " + id + " of an A2A task", e);
            return List.of();
        }
    }

    /**
     * The run that paused on {@code was} ended with {@code answer}: completed, or canceled when a cancel (the
     * studio's, its WebSocket's) denied every call it waited on, whatever the model said after.
     */
    private static void end(A2aTask task, Set<String> was, String answer, List<SessionApprovals.Item> decided) {
        boolean cancelled = !decided.isEmpty()
                && decided.stream()
                        .allMatch(i -> i.decision() != null
                                && i.decision().decidedBy() != null
                                && i.decision().decidedBy().via() == SessionApprovals.Decider.Via.CANCEL);
        if (cancelled) {
            task.moveOn(
                    was,
                    TaskState.CANCELED,
                    answer,
                    "The task was cancelled; the calls that waited were denied",
                    Set.of());
        } else {
            task.moveOn(was, TaskState.COMPLETED, answer, null, Set.of());
        }
    }

    /**
     * Brings a task paused for approval up to date from its stored session: still waiting (input-required),
     * decided and going on (working), or gone on to its end (the answer is the last the agent wrote after the paused
     * message), paused again (input-required on the new calls). A task that does not wait is left alone, and so is
     * one whose session cannot be read now (what the client sees is the last state known).
     */
    void refresh(A2aTask task) {
        Set<String> was = task.awaiting();
        if (was.isEmpty()) {
            return;
        }
        Optional<Session> found;
        try {
            found = sessions.find(task.contextId());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not read session " + task.contextId() + " of an A2A task", e);
            return;
        }
        if (found.isEmpty()) {
            task.moveOn(was, TaskState.FAILED, null, "The miu session " + task.contextId() + " was deleted", Set.of());
            return;
        }
        Session session = found.get();
        SessionApprovals approvals = session.approvals();
        List<SessionApprovals.Item> mine = approvals.items().stream()
                .filter(i -> was.contains(i.approvalId()))
                .toList();
        if (!mine.isEmpty()) {
            boolean undecided = mine.stream().anyMatch(i -> i.decision() == null);
            // undecided: still waiting (again, when a continuation failed and reopened them); else it goes on
            task.moveOn(
                    was,
                    undecided ? TaskState.INPUT_REQUIRED : TaskState.WORKING,
                    null,
                    undecided ? pauseMessage(task.contextId()) : null,
                    was);
            return;
        }
        List<SessionApprovals.Item> decided = approvals.audit().stream()
                .filter(i -> was.contains(i.approvalId()))
                .toList();
        if (decided.isEmpty()) {
            return; // neither waiting nor decided: nothing here to follow
        }
        After after = after(
                session.messages(),
                decided.stream().map(SessionApprovals.Item::toolCallId).collect(Collectors.toSet()));
        if (!after.cut() && approvals.isPaused()) {
            Set<String> next = approvals.items().stream()
                    .map(SessionApprovals.Item::approvalId)
                    .collect(Collectors.toUnmodifiableSet());
            boolean waits = !approvals.undecided().isEmpty();
            task.moveOn(
                    was,
                    waits ? TaskState.INPUT_REQUIRED : TaskState.WORKING,
                    after.answer(),
                    waits ? pauseMessage(task.contextId()) : null,
                    next);
            return;
        }
        end(task, was, after.answer(), decided);
    }

    /**
     * What the run wrote after the assistant message that asked for {@code calls}: the text of its last assistant
     * message (null when none), and whether a later turn (a person's new message) began after it.
     */
    private record After(String answer, boolean cut) {}

    private static After after(List<Message> messages, Set<String> calls) {
        int paused = -1;
        for (int i = messages.size() - 1; i >= 0 && paused < 0; i--) {
            Message m = messages.get(i);
            if (m.role() == Role.ASSISTANT
                    && m.toolUses().stream().map(ContentBlock.ToolUse::id).anyMatch(calls::contains)) {
                paused = i;
            }
        }
        if (paused < 0) {
            return new After(null, false);
        }
        String answer = null;
        for (int i = paused + 1; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m.role() == Role.USER && !m.hasToolResults()) {
                return new After(answer, true);
            }
            if (m.role() == Role.ASSISTANT) {
                answer = m.text(); // as a turn's answer is its last assistant message's text
            }
        }
        return new After(answer, false);
    }
}
