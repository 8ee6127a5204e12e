package dev.miu.studio.chat;

import dev.miu.agents.AgentCatalog;
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
import jakarta.json.JsonArray;

import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Runs chat turns on stored sessions. One implementation serves every transport: {@code /chat/invoke} collects
 * the events' outcome, {@code /chat/stream} writes them as SSE, the WebSocket sends them as messages.
 */
public final class ChatRunner {

    private final MiuConfig config;
    private final SessionRepository sessions;
    private final AgentCatalog agents;
    private final ActiveTurns turns;

    public ChatRunner(MiuConfig config, SessionRepository sessions, AgentCatalog agents, ActiveTurns turns) {
        this.config = config;
        this.sessions = sessions;
        this.agents = agents;
        this.turns = turns;
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
        Session session = sessions.find(sessionId).orElseThrow(() -> StudioException.notFound("Session not found"));
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
        return claim(session);
    }

    /** Claims {@code session} for one run of its agent: 409 if a turn runs, 503 if a model has no provider. */
    private ChatTurn claim(Session session) {
        Agent agent = agentFor(session); // built here, so a stream can still answer 409 or 503 before it opens
        ChatTurn turn = turns.begin(session.id(), config.agent().turnTimeout());
        turn.prepare(agent, agentName(session));
        return turn;
    }

    /**
     * Asks the turn running on a session to stop, whichever connection started it.
     *
     * @return the turn asked to stop, or empty when none was running
     * @throws StudioException 404 if there is no such session
     */
    public java.util.Optional<ChatTurn> cancel(String sessionId) {
        if (sessions.find(sessionId).isEmpty() && !turns.isRunning(sessionId)) {
            throw StudioException.notFound("Session not found");
        }
        return turns.cancel(sessionId);
    }

    /**
     * Runs one turn: stages the user's message (visible
     * at once; the first one titles an untitled session), runs the session's agent (as {@link #begin} built it, with the session's model and system prompt) on the whole history (reporting progress to
     * {@code events}), stores the message and the ones the run added in one durable write, and reports
     * {@link ChatEvent.Done}. If the model call fails, the user's message is stored alone.
     *
     * @throws StudioException 404 (session gone),
     *                         502 (the provider failed after its retries, with its message), 504 (the turn ran past
     *                         {@code agent.turn-timeout}; what it did is stored, as for a cancelled turn)
     */
    public TurnResult run(ChatTurn turn, String message, Consumer<ChatEvent> events) {
        String id = turn.sessionId();
        Agent agent = turn.agent();
        String agentName = turn.agentName();
        Session stored = sessions.stage(id, s -> SessionTitle.appendUserMessage(s, message))
                .orElseThrow(() -> StudioException.notFound("Session not found"));

        Response response;
        turn.agentStarted();
        try {
            response = agent.stream(
                    stored.messages(), ToolContext.current().withSessionId(id), e -> forward(e, null, events));
        } catch (ProviderException e) {
            var failure = new StudioException(502, e.getMessage());
            storeStaged(id, failure);
            throw failure;
        } catch (CancelledException e) {
            // the agent normally turns a cancel into a CANCELLED response; if it escapes, nothing of the run is kept
            response = new Response(List.of(), StopReason.CANCELLED, Usage.ZERO, 0);
        } catch (RuntimeException | Error e) {
            storeStaged(id, e);
            throw e;
        } finally {
            turn.agentFinished();
        }

        return finish(turn, response, stored.messages().size(), events);
    }

    /**
     * Stores what a run added (and, when it paused, the calls that wait for a person, each as an approval with a new
     * id), frees the session, and reports {@link ChatEvent.ApprovalRequest}s and {@link ChatEvent.Done}.
     */
    private TurnResult finish(ChatTurn turn, Response response, int before, Consumer<ChatEvent> events) {
        String id = turn.sessionId();
        String agentName = turn.agentName();
        // every message the run added names the agent that wrote it (a sub-agent's are named already), so a session
        // whose agent is changed later still shows who said what
        List<Message> added = response.messages().stream()
                .map(m -> m.agent() == null ? m.withAgent(agentName) : m)
                .toList();
        Usage turnUsage = response.usage();
        boolean paused = response.stopReason() == StopReason.AWAITING_APPROVAL;
        Instant now = Instant.now();
        List<SessionApprovals.Item> items = paused
                ? response.pending().waiting().stream()
                        .map(c -> new SessionApprovals.Item(
                                UUID.randomUUID().toString(), c.id(), agentName, c.name(), c.input(), now, null))
                        .toList()
                : List.of();
        Optional<Session> saved = sessions.update(
                id,
                s -> s.append(added, turnUsage)
                        .withApprovals(
                                paused
                                        ? new SessionApprovals(
                                                items,
                                                response.pending(),
                                                s.approvals().remembered())
                                        : s.approvals().resumed()));
        int count = saved.map(s -> s.messages().size())
                .orElse(before + added.size()); // deleted while it ran: report, store nothing
        turn.close(); // free the session before saying done, so a client may send its next message right away
        if (turn.timedOut() && response.stopReason() == StopReason.CANCELLED) {
            throw new StudioException(
                    504,
                    "The turn ran longer than agent.turn-timeout (" + dev.miu.config.Durations.format(turn.timeout())
                            + ") and was stopped; what it did so far is stored");
        }
        JsonArray pending = null;
        if (paused) {
            items.forEach(i -> events.accept(
                    new ChatEvent.ApprovalRequest(i.approvalId(), i.toolCallId(), i.agent(), i.name(), i.input())));
            pending = new SessionApprovals(items, response.pending(), java.util.Set.of()).pendingJson();
        }
        events.accept(new ChatEvent.Done(response.stopReason(), response.usage(), count, pending));
        return new TurnResult(id, response.text(), count, response.usage(), response.stopReason(), agentName, pending);
    }

    /**
     * Makes the staged user's message durable on its own, when the turn fails before it has an answer to store.
     * A storage error is attached to {@code failure}, the error the turn reports.
     */
    private void storeStaged(String id, Throwable failure) {
        try {
            sessions.update(id, UnaryOperator.identity());
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The agent a session's turns run: its own, or the catalog's default for sessions stored before agents. */
    private String agentName(Session session) {
        return session.agent() != null ? session.agent() : agents.defaultAgent();
    }

    /**
     * The session's agent with its model and system prompt, for one turn on its stored history.
     *
     * @throws StudioException 409 when the agent is no longer configured (the session and its history stay as they
     *                         are; a PATCH of its {@code agent} makes it usable again), 503 when a model it needs has
     *                         no provider configured, naming what to set
     */
    private Agent agentFor(Session session) {
        String name = agentName(session);
        try {
            return agents.create(name, session.model(), session.systemPrompt());
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
    private static void forward(AgentEvent event, String speaker, Consumer<ChatEvent> events) {
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
