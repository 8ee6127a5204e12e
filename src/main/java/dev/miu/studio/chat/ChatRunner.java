package dev.miu.studio.chat;

import dev.miu.agents.AgentCatalog;
import dev.miu.agents.SamplingLimits;
import dev.miu.config.MiuConfig;
import dev.miu.core.CancelledException;
import dev.miu.core.ConfigurationException;
import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.Response;
import dev.miu.core.message.Message;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.provider.ProviderException;
import dev.miu.core.tool.ToolContext;
import dev.miu.studio.StudioException;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionApprovals;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.session.SessionTitle;
import dev.miu.studio.session.TurnLeases;
import jakarta.json.JsonArray;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Runs chat turns on stored sessions. One implementation serves every transport: {@code /chat/invoke} collects
 * the events' outcome, {@code /chat/stream} writes them as SSE, the WebSocket sends them as messages. Approvals
 * (a paused run's calls announced and waited for, a person's decisions, denying them all, resuming the paused run,
 * a decision told by another server) are delegated to {@link TurnApprovals}, stateless turns to
 * {@link StatelessRuns}.
 */
public final class ChatRunner {

    private static final System.Logger LOG = System.getLogger(ChatRunner.class.getName());

    private final MiuConfig config;
    private final SessionRepository sessions;
    private final AgentCatalog agents;
    private final ActiveTurns turns;
    private final StatelessRuns stateless;
    private final TurnApprovals approvals;

    public ChatRunner(MiuConfig config, SessionRepository sessions, AgentCatalog agents, ActiveTurns turns) {
        this.config = config;
        this.sessions = sessions;
        this.agents = agents;
        this.turns = turns;
        this.stateless = new StatelessRuns(this, config, agents, turns);
        this.approvals = new TurnApprovals(this, config, sessions, agents, turns);
        turns.leases().onSignal(this::signalled);
    }

    /** Another server asks about a turn of this one: a cancel sent there, or the last decision it waited for. */
    private void signalled(String sessionId, TurnLeases.Signal signal) {
        try {
            switch (signal) {
                case CANCEL -> {
                    if (turns.isRunning(sessionId)) {
                        cancelHere(sessionId, SessionApprovals.Decider.CANCELLED_ELSEWHERE); // never passed on again
                    }
                }
                case DECIDED -> approvals.decidedElsewhere(sessionId);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not act on " + signal + " for session " + sessionId, e);
        }
    }

    /** The agents sessions may run. */
    public AgentCatalog agents() {
        return agents;
    }

    public boolean exists(String sessionId) {
        return sessions.find(sessionId).isPresent();
    }

    /**
     * Claims a session for one turn, which is stopped once it has run for {@code agent.turn-timeout}.
     *
     * @throws StudioException 404 if there is no such session, 409 if its agent is no longer configured or a turn is
     *                         already running on it, 503 if no provider is configured for a model its agent needs
     *                         (so a stream can answer these before it opens)
     */
    public ChatTurn begin(String sessionId) {
        return begin(sessionId, SamplingLimits.NONE);
    }

    /** {@link #begin(String)}, the session's agent running under {@code limits}, which are not stored. */
    private ChatTurn begin(String sessionId, SamplingLimits limits) {
        try {
            // a store that servers share takes the turn's lease with this read
            Session session =
                    sessions.findForTurn(sessionId).orElseThrow(() -> StudioException.notFound("Session not found"));
            if (decidedNotContinued(session)) {
                session = approvals.askAgain(session);
            }
            List<SessionApprovals.Item> waiting = session.approvals().undecided();
            if (!waiting.isEmpty()) {
                throw new StudioException(
                        409,
                        "Tool calls of this session wait for approval: "
                                + waiting.stream()
                                        .map(i -> i.name() + " (" + i.approvalId() + ")")
                                        .collect(Collectors.joining(", "))
                                + "; decide them (POST /api/v1/sessions/" + sessionId
                                + "/approvals/{approval_id}) or cancel to deny them all");
            }
            return claim(session, agentFor(session, limits), limits);
        } catch (RuntimeException e) {
            if (!turns.isRunning(sessionId)) { // a lease that read took, and no turn here holds: give it back
                try {
                    turns.leases().release(sessionId);
                } catch (RuntimeException releasing) {
                    e.addSuppressed(releasing); // it expires on its own
                }
            }
            throw e;
        }
    }

    /**
     * {@link #begin(String)}, for a client that names the agent it expects (the OpenAI-compatible API's
     * {@code model}): 400 when the session runs another agent. The turn's model agents (a composition's too) run
     * under the request's {@code limits}; nothing of them is stored in the session, and a paused turn that is
     * resumed later (a decision after this turn ended) runs without them.
     */
    public ChatTurn begin(String sessionId, String expectedAgent, SamplingLimits limits) {
        Session session = sessions.find(sessionId).orElseThrow(() -> StudioException.notFound("Session not found"));
        String agent = agentName(session);
        if (!agent.equals(expectedAgent)) {
            throw StudioException.badRequest("Session " + sessionId + " runs agent '" + agent + "', not '"
                    + expectedAgent + "'; name its agent as the model, or change the session's agent");
        }
        return begin(sessionId, limits);
    }

    /** Claims {@code session} for one run of its agent: 409 if a turn runs, 503 if a model has no provider. */
    ChatTurn claim(Session session) {
        // built here, so a stream can still answer 409 or 503 before it opens
        return claim(session, agentFor(session));
    }

    /** Claims {@code session} for one run of {@code agent} (its {@link #agentFor}): 409 if a turn runs. */
    ChatTurn claim(Session session, Agent agent) {
        return claim(session, agent, SamplingLimits.NONE);
    }

    /** As above, {@code agent} built under the turn's {@code limits}, which a sub-agent made later gets too. */
    private ChatTurn claim(Session session, Agent agent, SamplingLimits limits) {
        ChatTurn turn = turns.begin(session.id(), config.agent().turnTimeout());
        turn.prepare(agent, agentName(session), limits);
        return turn;
    }

    /**
     * Asks the turn running on a session to stop, whichever connection started it, here or on another server
     * sharing the database (which is told to cancel it). A turn waiting for a person has its calls denied, recorded
     * as decided by {@code decidedBy}.
     *
     * @return the turn asked to stop, or empty when none was running
     * @throws StudioException 404 if there is no such session
     */
    public Optional<StoppingTurn> cancel(String sessionId, SessionApprovals.Decider decidedBy) {
        Optional<ChatTurn> here = cancelHere(sessionId, decidedBy);
        if (here.isPresent()) {
            return Optional.of(here.get());
        }
        TurnLeases leases = turns.leases();
        if (leases.heldElsewhere(sessionId).isEmpty()) {
            return Optional.empty();
        }
        // a turn waiting there for a person has its calls denied here, so the audit says who asked
        leases.signal(
                sessionId,
                approvals.denyWaitingElsewhere(sessionId, decidedBy)
                        ? TurnLeases.Signal.DECIDED
                        : TurnLeases.Signal.CANCEL);
        return Optional.of(wait -> awaitReleased(sessionId, wait));
    }

    /** Waits up to {@code wait} for the other server's lease on {@code sessionId} to go; true once it has. */
    private boolean awaitReleased(String sessionId, java.time.Duration wait) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                if (turns.leases().heldElsewhere(sessionId).isEmpty()) {
                    return true;
                }
            } catch (RuntimeException e) {
                return false; // the database is away: still stopping, as far as anyone here can tell
            }
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            Thread.sleep(50);
        }
    }

    private Optional<ChatTurn> cancelHere(String sessionId, SessionApprovals.Decider decidedBy) {
        if (sessions.find(sessionId).isEmpty() && !turns.isRunning(sessionId)) {
            throw StudioException.notFound("Session not found");
        }
        // a turn waiting for a person: the cancel denies what waits, and the run goes on to say so
        return approvals.cancelWaiting(sessionId, decidedBy).or(() -> turns.cancel(sessionId));
    }

    /**
     * At shutdown, before the server stops: turns waiting for a person stop waiting and end as
     * {@code awaiting_approval} (their calls are stored already and stay pending), so their clients get {@code done}
     * with the pending calls instead of a cut connection. Waits up to {@code wait} for their clients to be sent it
     * (a socket's turn runs on a thread of its own, which the server's stop does not wait for).
     */
    public void endWaitingTurns(java.time.Duration wait) throws InterruptedException {
        List<ChatTurn> waiting = turns.waiting();
        waiting.forEach(ChatTurn::cancel); // a plain cancel ends the wait and denies nothing, as a client leaving does
        long end = System.nanoTime() + wait.toNanos();
        for (ChatTurn turn : waiting) {
            turn.awaitStreamEnded(java.time.Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        }
    }

    /**
     * Runs one turn: stages the user's message (visible at once; the first one titles an untitled session), runs the
     * session's agent (as {@link #begin} built it, with the session's model and system prompt) on the whole history
     * (reporting progress to {@code events}), stores the message and the ones the run added in one durable write
     * (which, on a store servers share, also gives back the turn's lease), and reports
     * {@link ChatEvent.Done}. If the model call fails, the user's message is stored alone.
     *
     * @throws StudioException 404 (session gone),
     *                         502 (the provider failed after its retries, with its message), 504 (the turn ran past
     *                         {@code agent.turn-timeout}; what it did is stored, as for a cancelled turn)
     */
    public TurnResult run(ChatTurn turn, String message, Consumer<ChatEvent> events) {
        String id = turn.sessionId();
        Agent agent = turn.agent();
        Session stored = sessions.stage(id, s -> SessionTitle.appendUserMessage(s, message))
                .orElseThrow(() -> StudioException.notFound("Session not found"));

        // if the run fails before it has an answer to store, the staged user's message is made durable on its own
        Response response = runAgent(
                turn,
                () -> agent.stream(
                        stored.messages(), ToolContext.current().withSessionId(id), e -> forward(e, null, events)),
                UnaryOperator.identity());
        return finish(turn, response, stored.messages().size(), turn.agentName(), events);
    }

    /** The reason a stateless run gives the model for a tool call that would wait for a person's approval. */
    public static final String NO_APPROVAL_WITHOUT_SESSION = "denied: this tool needs a person's approval, and a"
            + " request without a miu session cannot wait for one (send X-Miu-Session-Id to run it in a session)";

    /**
     * Claims a turn that belongs to no session (the OpenAI-compatible API): cancellable and stopped after
     * {@code agent.turn-timeout} like a session's, but nothing of it is stored.
     *
     * @throws StudioException 404 when no agent has that name, 503 when a model it needs has no provider
     */
    public ChatTurn beginStateless(String agentName, StatelessOptions options) {
        return stateless.begin(agentName, options);
    }

    /**
     * Runs a stateless turn on {@code conversation} (ending with a user message) and reports its events as
     * {@link #run} does, ending with {@link ChatEvent.Done}; nothing is stored. A tool call that would wait for
     * approval is denied ({@link #NO_APPROVAL_WITHOUT_SESSION}, which the model reads) and the run goes on, up to
     * the agent's iteration limit.
     *
     * @throws StudioException 502 (the provider failed after its retries; its ProviderException is the cause), 504
     *                         (the turn ran past {@code agent.turn-timeout})
     */
    public TurnResult runStateless(ChatTurn turn, List<Message> conversation, Consumer<ChatEvent> events) {
        return stateless.run(turn, conversation, events);
    }

    /**
     * Stores what a run added (and, when it paused, the calls that wait for a person, each as an approval with a new
     * id), frees the session, and reports {@link ChatEvent.ApprovalRequest}s and {@link ChatEvent.Done}.
     */
    TurnResult finish(ChatTurn turn, Response response, int before, String agentName, Consumer<ChatEvent> events) {
        String id = turn.sessionId();
        // every message the run added names the agent that wrote it (a sub-agent's are named already), so a session
        // whose agent is changed later still shows who said what
        List<Message> added = response.messages().stream()
                .map(m -> m.agent() == null ? m.withAgent(agentName) : m)
                .toList();
        Usage turnUsage = response.usage();
        boolean paused = response.stopReason() == StopReason.AWAITING_APPROVAL;
        List<SessionApprovals.Item> items = paused ? approvals.requests(id, response, agentName) : List.of();
        UnaryOperator<Session> change = s -> s.append(added, turnUsage)
                .withApprovals(
                        paused
                                ? SessionApprovals.paused(items, response.pending(), s.approvals())
                                : s.approvals().resumed());
        // a turn that ends here gives its lease back with this write; a paused one may still wait and go on
        Optional<Session> saved = paused ? sessions.update(id, change) : sessions.updateEndingTurn(id, change);
        int count = saved.map(s -> s.messages().size())
                .orElse(before + added.size()); // deleted while it ran: report, store nothing
        if (paused && saved.isPresent() && approvals.goesOn(turn, items, events)) {
            return resume(turn, events); // every waiting tool was approved for the session, or decided while it waited
        }
        turn.close(); // free the session before saying done, so a client may send its next message right away
        if (turn.timedOut() && response.stopReason() == StopReason.CANCELLED) {
            throw new StudioException(
                    504,
                    "The turn ran longer than agent.turn-timeout (" + dev.miu.config.Durations.format(turn.timeout())
                            + ") and was stopped; what it did so far is stored");
        }
        JsonArray pending = null;
        if (paused) {
            // read once the session is free: a decision made while the wait was ending found it still held and left
            // the continuation to this turn (TurnApprovals.decide), which goes on now if every call is decided
            Optional<Session> now = sessions.find(id);
            if (now.isPresent() && decidedNotContinued(now.get())) {
                Optional<ChatTurn> next = claimIfFree(now.get());
                if (next.isPresent()) {
                    return resume(next.get(), events);
                }
            }
            approvals.announceUnlessWaited(turn, items, events);
            // some may have been decided while the turn waited: what is still undecided
            pending = now.map(s -> s.approvals().pendingJson())
                    .orElseGet(() -> new SessionApprovals(items, response.pending(), java.util.Set.of()).pendingJson());
        }
        events.accept(new ChatEvent.Done(response.stopReason(), response.usage(), count, pending));
        return new TurnResult(
                id, response.text(), count, response.usage(), response.stopReason(), turn.agentName(), pending);
    }

    /** Whether {@code session}'s run paused, every call it waits on is decided, and it has not gone on. */
    static boolean decidedNotContinued(Session session) {
        return session.approvals().isPaused() && session.approvals().undecided().isEmpty();
    }

    /**
     * {@code session} claimed for its run; empty when that cannot be now (a turn holds it, here or on another server,
     * or its agent cannot be built): the decisions stay stored, and the next turn asks for them again
     * ({@link #begin}).
     */
    private Optional<ChatTurn> claimIfFree(Session session) {
        try {
            return Optional.of(claim(session));
        } catch (StudioException e) {
            return Optional.empty();
        }
    }

    /** What deciding one waiting call led to. */
    public sealed interface Decided {
        /**
         * Recorded: other calls of the turn still wait ({@code pending} lists them), or ({@code continuing}) it was
         * the last one and the turn that holds the session goes on, streaming to its own client if it has one.
         */
        record Recorded(JsonArray pending, boolean continuing) implements Decided {}

        /** That was the last one: {@code turn} is claimed; {@link #resume} it. */
        record Continue(ChatTurn turn) implements Decided {}
    }

    /**
     * Records a person's decision on one waiting call; {@code remember} (with approve) approves the tool for the
     * rest of the session; {@code decidedBy} (who, and through what) goes to the audit trail. When it was the last
     * undecided call of the turn, the session is claimed for the continuation, as for a turn; if a turn still holds
     * it (its wait ending, here or on another server), that turn continues the run instead.
     *
     * @throws StudioException 404 (no such session or approval), 409 (already decided, or the session's agent is no
     *                         longer configured), 503 (a model it needs has no provider); nothing is stored then
     */
    public Decided decide(
            String sessionId,
            String approvalId,
            boolean approve,
            String reason,
            boolean remember,
            SessionApprovals.Decider decidedBy) {
        return approvals.decide(sessionId, approvalId, approve, reason, remember, decidedBy);
    }

    /** The reason a cancel gives the model for the calls it denies. */
    public static final String CANCELLED_BY_USER = "cancelled by the user";

    /**
     * Denies every waiting call of the session ({@code reason} goes to the model) and claims it for the
     * continuation, so the history stays valid; empty when nothing waits. The audit records {@code decidedBy}.
     */
    public Optional<ChatTurn> denyAll(String sessionId, String reason, SessionApprovals.Decider decidedBy) {
        return approvals.denyAll(sessionId, reason, decidedBy);
    }

    /**
     * Continues a paused run once every waiting call is decided ({@link Decided.Continue}): approved calls run,
     * denied ones become error results with the reason, the loop goes on; stored and reported as {@link #run} does.
     * If the model call fails, the decisions are undone so they can be made again.
     */
    public TurnResult resume(ChatTurn turn, Consumer<ChatEvent> events) {
        return approvals.resume(turn, events);
    }

    /**
     * Adds a listener told when the continuation of a paused run ends on this server ({@link ContinuationListener}),
     * on the continuation's own thread, so it must be quick; what it throws is logged.
     */
    public void onContinuationEnded(ContinuationListener listener) {
        approvals.onContinuationEnded(listener);
    }

    /**
     * Runs the agent for {@code turn}: a provider failure becomes a 502, an escaped cancel a CANCELLED response with
     * nothing kept; when it fails, {@code onFailure} is stored first (a storage error is attached to the failure the
     * turn reports).
     */
    Response runAgent(ChatTurn turn, java.util.function.Supplier<Response> run, UnaryOperator<Session> onFailure) {
        turn.agentStarted();
        try {
            return run.get();
        } catch (ProviderException e) {
            var failure = new StudioException(502, e.getMessage());
            failure.initCause(e); // its status tells an adapter a rate limit (429) from an outage
            recover(turn.sessionId(), onFailure, failure);
            throw failure;
        } catch (CancelledException e) {
            // the agent normally turns a cancel into a CANCELLED response; if it escapes, nothing of the run is kept
            return new Response(List.of(), StopReason.CANCELLED, Usage.ZERO, 0);
        } catch (RuntimeException | Error e) {
            recover(turn.sessionId(), onFailure, e);
            throw e;
        } finally {
            turn.agentFinished();
        }
    }

    private void recover(String id, UnaryOperator<Session> change, Throwable failure) {
        if (change == null) {
            return; // a stateless run: nothing stored, nothing to repair
        }
        try {
            sessions.update(id, change);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The agent a session's turns run: its own, or the catalog's default for sessions stored before agents. */
    private String agentName(Session session) {
        return session.agent() != null ? session.agent() : agents.defaultAgent();
    }

    /**
     * The session's agent with its model and system prompt (and the turn's limits), for one turn on its stored
     * history.
     *
     * @throws StudioException 409 when the agent is no longer configured (the session and its history stay as they
     *                         are; a PATCH of its {@code agent} makes it usable again), 503 when a model it needs has
     *                         no provider configured, naming what to set
     */
    Agent agentFor(Session session) {
        return agentFor(session, SamplingLimits.NONE);
    }

    private Agent agentFor(Session session, SamplingLimits limits) {
        String name = agentName(session);
        try {
            return agents.create(name, session.model(), session.systemPrompt(), limits);
        } catch (NoSuchElementException e) {
            throw new StudioException(
                    409,
                    "Agent '" + name + "' of this session is no longer configured; known agents: "
                            + String.join(", ", agents.names()) + "; PATCH the session's agent to continue it");
        } catch (ConfigurationException e) {
            throw new StudioException(503, e.getMessage());
        }
    }

    /**
     * Agent events become chat events; the agent's own Done is replaced by ours, sent once the session is saved.
     * {@code speaker} is the sub-agent whose event it is (from {@link AgentEvent.Nested}), null for the session's
     * agent.
     */
    static void forward(AgentEvent event, String speaker, Consumer<ChatEvent> events) {
        switch (event) {
            case AgentEvent.TextDelta d -> events.accept(new ChatEvent.Chunk(d.text(), speaker));
            case AgentEvent.ToolCall c -> events.accept(new ChatEvent.ToolCall(c.id(), c.name(), c.input(), speaker));
            case AgentEvent.ToolResult r ->
                events.accept(new ChatEvent.ToolResult(r.id(), r.name(), r.output(), r.isError(), speaker));
            case AgentEvent.UsageUpdate u -> events.accept(new ChatEvent.UsageUpdate(u.usage(), speaker));
            case AgentEvent.Done ignored -> {}
            case AgentEvent.ApprovalRequest ignored -> {} // reported with its approval id once the pause is stored
            case AgentEvent.Nested n -> forward(n.event(), n.agent(), events);
            case AgentEvent.AgentStart s -> events.accept(new ChatEvent.AgentStart(s.agent()));
            case AgentEvent.AgentEnd e -> events.accept(new ChatEvent.AgentEnd(e.agent(), e.stopReason()));
        }
    }
}
