package dev.miu.studio.chat;

import dev.miu.config.AgentSettings;
import dev.miu.config.MiuConfig;
import dev.miu.core.CancelledException;
import dev.miu.core.ConfigurationException;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.agent.Response;
import dev.miu.core.memory.ContextWindow;
import dev.miu.core.message.Message;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.Provider;
import dev.miu.core.provider.ProviderException;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.Providers;
import dev.miu.core.tool.ToolContext;
import dev.miu.studio.StudioException;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.session.SessionTitle;
import dev.miu.studio.tools.StudioTools;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Runs chat turns on stored sessions. One implementation serves every transport: {@code /chat/invoke} collects
 * the events' outcome, {@code /chat/stream} writes them as SSE, the WebSocket sends them as messages.
 */
public final class ChatRunner {

    private final MiuConfig config;
    private final SessionRepository sessions;
    private final StudioTools tools;
    private final Providers providers;
    private final ActiveTurns turns;
    /** One provider (and so one HTTP client with its connection pool) per provider name, not one per turn. */
    private final Map<String, Provider> providerCache = new ConcurrentHashMap<>();

    public ChatRunner(
            MiuConfig config,
            SessionRepository sessions,
            StudioTools tools,
            ProviderOptions options,
            ActiveTurns turns) {
        this.config = config;
        this.sessions = sessions;
        this.tools = tools;
        this.providers = new Providers(config.providers(), options);
        this.turns = turns;
    }

    public boolean exists(String sessionId) {
        return sessions.find(sessionId).isPresent();
    }

    /**
     * Claims a session for one turn, which is stopped once it has run for {@code agent.turn-timeout}.
     *
     * @throws StudioException 404 if there is no such session, 503 if no provider is configured for its model
     *                         (so a stream can answer it before it opens), 409 if a turn is already running on it
     */
    public ChatTurn begin(String sessionId) {
        Session session = sessions.find(sessionId).orElseThrow(() -> StudioException.notFound("Session not found"));
        providerFor(resolveModel(session.model()));
        return turns.begin(sessionId, config.agent().turnTimeout());
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
     * Runs one turn: resolves the session's model, stages the user's message (visible at once; the first one titles
     * an untitled session), runs the agent on the whole history (reporting progress to {@code events}), stores the
     * message and the ones the run added in one durable write, and reports {@link ChatEvent.Done}. If the model call fails, the user's message is stored alone.
     *
     * @throws StudioException 404 (session gone), 503 (no provider configured, naming what to set),
     *                         502 (the provider failed after its retries, with its message), 504 (the turn ran past
     *                         {@code agent.turn-timeout}; what it did is stored, as for a cancelled turn)
     */
    public TurnResult run(ChatTurn turn, String message, Consumer<ChatEvent> events) {
        String id = turn.sessionId();
        Session session = sessions.find(id).orElseThrow(() -> StudioException.notFound("Session not found"));
        ReActAgent agent = agentFor(session);
        Session stored = sessions.stage(id, s -> SessionTitle.appendUserMessage(s, message))
                .orElseThrow(() -> StudioException.notFound("Session not found"));

        Response response;
        turn.agentStarted();
        try {
            response =
                    agent.stream(stored.messages(), ToolContext.current().withSessionId(id), e -> forward(e, events));
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

        List<Message> added = response.messages();
        Usage turnUsage = response.usage();
        int count = sessions.update(id, s -> s.append(added, turnUsage))
                .map(s -> s.messages().size())
                .orElse(stored.messages().size() + added.size()); // deleted while it ran: report, store nothing
        turn.close(); // free the session before saying done, so a client may send its next message right away
        if (turn.timedOut() && response.stopReason() == StopReason.CANCELLED) {
            throw new StudioException(
                    504,
                    "The turn ran longer than agent.turn-timeout (" + dev.miu.config.Durations.format(turn.timeout())
                            + ") and was stopped; what it did so far is stored");
        }
        events.accept(new ChatEvent.Done(response.stopReason(), response.usage(), count));
        return new TurnResult(id, response.text(), count, response.usage(), response.stopReason());
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

    /** The model spec a session with {@code model} would use, or a 503 naming what to configure. */
    public ModelSpec resolveModel(String model) {
        try {
            return config.resolveModel(model);
        } catch (ConfigurationException e) {
            throw new StudioException(503, e.getMessage());
        }
    }

    private ReActAgent agentFor(Session session) {
        ModelSpec spec = resolveModel(session.model());
        Provider provider = providerFor(spec);
        AgentSettings settings = config.agent();
        var agentConfig = new AgentConfig(
                "studio",
                session.systemPrompt(),
                spec.toString(),
                settings.maxIterations(),
                settings.maxTokens(),
                settings.temperature());
        return new ReActAgent(agentConfig, provider, tools.registry(), new ContextWindow(settings.contextTokens()));
    }

    /** The provider serving {@code spec}, or a 503 naming what to configure. */
    private Provider providerFor(ModelSpec spec) {
        try {
            // Keyed by provider, not model: a provider serves every model (the request names it), and session models
            // are client input, so a per-model cache could be grown without bound.
            return providerCache.computeIfAbsent(spec.provider(), name -> providers.create(spec));
        } catch (ConfigurationException e) {
            throw new StudioException(503, e.getMessage());
        }
    }

    /** Agent events become chat events; the agent's own Done is replaced by ours, sent once the session is saved. */
    private static void forward(AgentEvent event, Consumer<ChatEvent> events) {
        switch (event) {
            case AgentEvent.TextDelta d -> events.accept(new ChatEvent.Chunk(d.text()));
            case AgentEvent.ToolCall c -> events.accept(new ChatEvent.ToolCall(c.id(), c.name(), c.input()));
            case AgentEvent.ToolResult r ->
                events.accept(new ChatEvent.ToolResult(r.id(), r.name(), r.output(), r.isError()));
            case AgentEvent.UsageUpdate u -> events.accept(new ChatEvent.UsageUpdate(u.usage()));
            case AgentEvent.Done ignored -> {}
            case AgentEvent.Nested n -> forward(n.event(), events);
            case AgentEvent.AgentStart ignored -> {}
            case AgentEvent.AgentEnd ignored -> {}
        }
    }
}
