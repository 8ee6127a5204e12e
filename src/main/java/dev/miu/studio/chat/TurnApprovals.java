package dev.miu.studio.chat;

import dev.miu.agents.AgentCatalog;
import dev.miu.config.AgentDefinition;
import dev.miu.config.MiuConfig;
import dev.miu.config.ToolRef;
import dev.miu.core.ConfigurationException;
import dev.miu.core.agent.Agent;
import dev.miu.core.agent.ApprovalDecision;
import dev.miu.core.agent.PendingApprovals;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.agent.Response;
import dev.miu.core.tool.ToolContext;
import dev.miu.studio.StudioException;
import dev.miu.studio.chat.ChatRunner.Decided;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionApprovals;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.session.TurnLeases;
import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The approval half of {@link ChatRunner}: the calls a paused run waits on become approvals (with the diff of a coding
 * Write or Edit; a tool approved for the session is approved at once), are announced, and a connected client's turn
 * waits for them; a person's decisions are recorded ({@link ChatRunner#decide}, or told by another server sharing the
 * database), a cancel denies what waits, and a turn whose calls are all decided resumes. One lock serialises every
 * decision and the cancel of a waiting turn.
 */
final class TurnApprovals {

    private static final System.Logger LOG = System.getLogger(TurnApprovals.class.getName());

    private final ChatRunner runner;
    private final MiuConfig config;
    private final SessionRepository sessions;
    private final AgentCatalog agents;
    private final ActiveTurns turns;
    private final List<ContinuationListener> continuationListeners = new CopyOnWriteArrayList<>();
    /** Serialises decisions, so the last one of a turn is seen as the last exactly once. */
    private final ReentrantLock decisions = new ReentrantLock();

    TurnApprovals(
            ChatRunner runner, MiuConfig config, SessionRepository sessions, AgentCatalog agents, ActiveTurns turns) {
        this.runner = runner;
        this.config = config;
        this.sessions = sessions;
        this.agents = agents;
        this.turns = turns;
    }

    /** Another server stored the last decision a turn waiting here waited for: it goes on, if nothing still waits. */
    void decidedElsewhere(String sessionId) {
        decisions.lock();
        try {
            Optional<ChatTurn> waiting = turns.waiting(sessionId);
            if (waiting.isPresent()
                    && sessions.find(sessionId)
                            .map(s -> s.approvals().undecided().isEmpty())
                            .orElse(true)) {
                waiting.get().decisionsMade();
            }
        } finally {
            decisions.unlock();
        }
    }

    /**
     * The cancel of a turn waiting here for a person: it denies what waits, and the run goes on to say so.
     *
     * @return the waiting turn, or empty when none waits here (a running one is cancelled as usual)
     */
    Optional<ChatTurn> cancelWaiting(String sessionId, SessionApprovals.Decider decidedBy) {
        decisions.lock();
        try {
            Optional<ChatTurn> waiting = turns.waiting(sessionId);
            if (waiting.isPresent()) {
                denyUndecided(sessionId, ChatRunner.CANCELLED_BY_USER, decidedBy);
                waiting.get().decisionsMade();
            }
            return waiting;
        } finally {
            decisions.unlock();
        }
    }

    /**
     * The calls a paused run waits on, each as an approval with a new id; one of a tool approved for the session is
     * approved at once.
     */
    List<SessionApprovals.Item> requests(String sessionId, Response response, String agentName) {
        Instant now = Instant.now();
        Set<String> remembered = remembered(sessionId);
        // a router passes on the pause of the agent it chose: that agent asks, and resumes
        String asking = response.pending().agent() != null ? response.pending().agent() : agentName;
        return response.pending().waiting().stream()
                .map(c -> new SessionApprovals.Item(
                        UUID.randomUUID().toString(),
                        c.id(),
                        asking,
                        c.name(),
                        c.input(),
                        now,
                        remembered.contains(c.name())
                                ? new SessionApprovals.Decision(
                                        true, "approved for this session", now, SessionApprovals.Decider.REMEMBERED)
                                : null,
                        diff(asking, c.name(), c.input())))
                .toList();
    }

    /**
     * Whether a run that paused on {@code items} (stored) goes on now: every tool was approved for the session, or
     * the turn waited and every call was decided ({@link #waitsForDecisions}).
     */
    boolean goesOn(ChatTurn turn, List<SessionApprovals.Item> items, Consumer<ChatEvent> events) {
        return items.stream().allMatch(i -> i.decision() != null) || waitsForDecisions(turn, items, events);
    }

    /** Reports the undecided calls of a paused turn that ends, unless they were announced before it waited. */
    void announceUnlessWaited(ChatTurn turn, List<SessionApprovals.Item> items, Consumer<ChatEvent> events) {
        if (!turn.isClientWatching() || !approvalWaits()) { // else announced before it waited
            announce(items, events);
        }
    }

    private boolean approvalWaits() {
        return !config.agent().approvalTimeout().isZero();
    }

    private static void announce(List<SessionApprovals.Item> items, Consumer<ChatEvent> events) {
        items.stream()
                .filter(i -> i.decision() == null)
                .forEach(i -> events.accept(new ChatEvent.ApprovalRequest(
                        i.approvalId(), i.toolCallId(), i.agent(), i.name(), i.input(), i.diff())));
    }

    /**
     * A paused turn whose client is connected and sees its events waits, holding the session, for a person to
     * decide ({@link #decide} and {@link ChatRunner#cancel} wake it) up to {@code agent.approval-timeout}. Its own
     * run time does not count while it waits.
     *
     * @return whether every call was decided, so the run goes on; false when the wait ended otherwise (time up, the
     *         client gone) and the turn ends as {@code awaiting_approval}
     */
    private boolean waitsForDecisions(ChatTurn turn, List<SessionApprovals.Item> items, Consumer<ChatEvent> events) {
        if (!turn.isClientWatching() || !approvalWaits()) {
            return false;
        }
        turn.startWaiting(); // before the requests go out, so a quick decision finds the turn waiting
        announce(items, events);
        turn.stopDeadline();
        boolean decided = turn.awaitDecisions(config.agent().approvalTimeout());
        if (decided) {
            turns.restartDeadline(turn);
        }
        return decided;
    }

    /** For a coding Write or Edit of {@code agentName}'s workspace, the diff of what it would change; else null. */
    private String diff(String agentName, String tool, JsonObject input) {
        if (agents.find(agentName).orElse(null) instanceof AgentDefinition.Model m) {
            for (ToolRef ref : m.tools()) {
                if (ref instanceof ToolRef.Code code) {
                    return ProposedDiff.of(code.workspace(), tool, input);
                }
            }
        }
        return null;
    }

    private Set<String> remembered(String sessionId) {
        return sessions.find(sessionId).map(s -> s.approvals().remembered()).orElse(Set.of());
    }

    /**
     * {@link ChatRunner#decide}: under the decisions lock, so the last decision of a turn is seen as the last exactly
     * once. The last one wakes the turn that waits for it here, or claims the session and continues the run; when a
     * turn still holds the session (here or on another server sharing the database, whose wait may be ending), it is
     * recorded first and that turn is told: a waiting one goes on, an ending one reads the session again once it has
     * let go and goes on then ({@link ChatRunner#finish}). So a decision racing the end of a wait is never stranded.
     */
    Decided decide(
            String sessionId,
            String approvalId,
            boolean approve,
            String reason,
            boolean remember,
            SessionApprovals.Decider decidedBy) {
        decisions.lock();
        try {
            Session session = sessions.find(sessionId).orElseThrow(() -> StudioException.notFound("Session not found"));
            SessionApprovals.Item item = session.approvals()
                    .item(approvalId)
                    .orElseThrow(() -> StudioException.notFound("No approval " + approvalId + " on this session"));
            if (item.decision() != null) {
                throw new StudioException(
                        409,
                        "Approval " + approvalId + " was already decided ("
                                + (item.decision().approve() ? "approved" : "denied") + " at "
                                + item.decision().decidedAt() + ")");
            }
            boolean last = session.approvals().undecided().size() == 1;
            Optional<ChatTurn> waiting = turns.waiting(sessionId); // a turn with its client still waits for this
            // the agent that would continue, built first: a removed agent (409) or a missing provider (503) refuses
            // the decision before anything is stored
            Agent continuing = last && waiting.isEmpty() ? runner.agentFor(session) : null;
            var decision = new SessionApprovals.Decision(approve, reason, Instant.now(), decidedBy);
            Session saved = sessions.update(
                            sessionId, s -> s.withApprovals(s.approvals().decide(approvalId, decision, remember)))
                    .orElseThrow(() -> StudioException.notFound("Session not found"));
            if (!last) {
                return new Decided.Recorded(saved.approvals().pendingJson(), false);
            }
            if (waiting.isPresent()) {
                waiting.get().decisionsMade();
                return new Decided.Recorded(saved.approvals().pendingJson(), true);
            }
            try {
                return new Decided.Continue(runner.claim(saved, continuing));
            } catch (StudioException busy) {
                if (busy.status() != 409) {
                    throw busy;
                }
                // a turn holds the session: here, one whose wait is ending, which reads the session again once it
                // has let go; on another server, one that waits there (told now) or is ending as well
                if (turns.leases().heldElsewhere(sessionId).isPresent()) {
                    turns.leases().signal(sessionId, TurnLeases.Signal.DECIDED);
                }
                return new Decided.Recorded(saved.approvals().pendingJson(), true);
            }
        } finally {
            decisions.unlock();
        }
    }

    /**
     * A run whose calls were all decided but which never went on: its server stopped (a crash while it continued, or
     * while it waited on a decision made on another server). An approved call may have run before the stop, so it is
     * not run again unasked: the calls wait for a person again. Under the decisions lock, and holding the session
     * while it changes it (409 while another turn, such as that continuation, holds it).
     */
    Session askAgain(Session session) {
        decisions.lock();
        try (ChatTurn holding = runner.claim(session)) {
            return sessions.update(
                            session.id(),
                            s -> ChatRunner.decidedNotContinued(s)
                                    ? s.withApprovals(s.approvals().reopened())
                                    : s)
                    .orElseThrow(() -> StudioException.notFound("Session not found"));
        } finally {
            decisions.unlock();
        }
    }

    /**
     * A cancel sent here for a session whose turn runs on another server: when that turn's calls wait for a person,
     * they are denied here, recorded with who asked ({@code decidedBy}), and the caller tells that server they were
     * decided (it goes on, as after any decision: waiting, or reading the session as its wait ends).
     *
     * @return whether calls waited and were denied; false when the turn there does not wait (cancel it instead)
     */
    boolean denyWaitingElsewhere(String sessionId, SessionApprovals.Decider decidedBy) {
        decisions.lock();
        try {
            if (sessions.find(sessionId)
                    .map(s -> s.approvals().undecided().isEmpty())
                    .orElse(true)) {
                return false;
            }
            denyUndecided(sessionId, ChatRunner.CANCELLED_BY_USER, decidedBy);
            return true;
        } finally {
            decisions.unlock();
        }
    }

    /** {@link ChatRunner#denyAll}, under the decisions lock. */
    Optional<ChatTurn> denyAll(String sessionId, String reason, SessionApprovals.Decider decidedBy) {
        decisions.lock();
        try {
            Session session = sessions.find(sessionId).orElseThrow(() -> StudioException.notFound("Session not found"));
            List<SessionApprovals.Item> waiting = session.approvals().undecided();
            if (waiting.isEmpty()) {
                return Optional.empty();
            }
            ChatTurn turn = runner.claim(session);
            try {
                denyUndecided(sessionId, reason, decidedBy);
            } catch (RuntimeException e) {
                turn.close();
                throw e;
            }
            return Optional.of(turn);
        } finally {
            decisions.unlock();
        }
    }

    /** Denies every undecided call of the session with {@code reason}; callers hold the decisions lock. */
    private void denyUndecided(String sessionId, String reason, SessionApprovals.Decider decidedBy) {
        var decision = new SessionApprovals.Decision(false, reason, Instant.now(), decidedBy);
        sessions.update(sessionId, s -> {
            SessionApprovals a = s.approvals();
            for (SessionApprovals.Item i : a.undecided()) {
                a = a.decide(i.approvalId(), decision, false);
            }
            return s.withApprovals(a);
        });
    }

    void onContinuationEnded(ContinuationListener listener) {
        continuationListeners.add(listener);
    }

    /**
     * {@link ChatRunner#resume}: the agent that paused goes on with the stored decisions, through the runner's own
     * {@code runAgent} and {@code finish}; the {@link ContinuationListener}s are told how it ended.
     */
    TurnResult resume(ChatTurn turn, Consumer<ChatEvent> events) {
        TurnResult result = null;
        try {
            result = continueRun(turn, events);
            return result;
        } finally {
            for (ContinuationListener listener : continuationListeners) {
                try {
                    listener.continuationEnded(turn.sessionId(), result);
                } catch (RuntimeException e) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "A continuation listener failed for session " + turn.sessionId(),
                            e);
                }
            }
        }
    }

    private TurnResult continueRun(ChatTurn turn, Consumer<ChatEvent> events) {
        String id = turn.sessionId();
        Session session = sessions.find(id).orElseThrow(() -> StudioException.notFound("Session not found"));
        SessionApprovals approvals = session.approvals();
        if (!approvals.undecided().isEmpty()) { // asked again meanwhile (askAgain): a person decides them anew
            throw new StudioException(
                    409, "Tool calls of this session wait for approval again; decide them before the run goes on");
        }
        // a sub-agent that paused (under a router) speaks for itself while it goes on
        String speaker =
                approvals.state().agent() != null && !approvals.state().agent().equals(turn.agentName())
                        ? approvals.state().agent()
                        : null;
        if (!(pausedAgent(turn, approvals.state()) instanceof ReActAgent agent)) {
            throw new StudioException(
                    409, "The agent of this session cannot continue a paused run; send a new message instead");
        }
        Map<String, ApprovalDecision> decided = new HashMap<>();
        for (SessionApprovals.Item i : approvals.items()) {
            decided.put(
                    i.toolCallId(),
                    i.decision() != null && i.decision().approve()
                            ? ApprovalDecision.approve()
                            : ApprovalDecision.deny(
                                    i.decision() == null ? "" : i.decision().reason()));
        }
        // if the run fails, the decisions are reopened so they can be made again
        Response response = runner.runAgent(
                turn,
                () -> agent.resume(
                        session.messages(),
                        approvals.state(),
                        decided,
                        ToolContext.current().withSessionId(id),
                        e -> ChatRunner.forward(e, speaker, events)),
                s -> s.withApprovals(s.approvals().reopened()));
        return runner.finish(
                turn, response, session.messages().size(), speaker != null ? speaker : turn.agentName(), events);
    }

    /** The agent that paused: the session's own, or the sub-agent a router passed the conversation to. */
    private Agent pausedAgent(ChatTurn turn, PendingApprovals state) {
        if (state.agent() == null || state.agent().equals(turn.agentName())) {
            return turn.agent();
        }
        try {
            return agents.create(state.agent(), null, null, turn.limits());
        } catch (NoSuchElementException e) {
            throw new StudioException(
                    409,
                    "Agent '" + state.agent() + "', which asked for these approvals, is no longer configured; send a"
                            + " new message instead");
        } catch (ConfigurationException e) {
            throw new StudioException(503, e.getMessage());
        }
    }
}
