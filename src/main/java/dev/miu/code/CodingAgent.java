package dev.miu.code;

import dev.miu.code.approval.ApprovalGate;
import dev.miu.code.session.SessionInfo;
import dev.miu.code.session.SessionStore;
import dev.miu.code.session.StoredSession;
import dev.miu.code.tools.CodingTools;
import dev.miu.config.AgentSettings;
import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.ApprovalDecision;
import dev.miu.core.agent.PendingApprovals;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.agent.Response;
import dev.miu.core.memory.ContextWindow;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.Provider;
import dev.miu.core.provider.Providers;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolRegistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One coding conversation in one workspace: the history, the model, the mode (through its {@link ApprovalGate})
 * and the session file it is saved to. Each {@link #send} builds a {@link ReActAgent} for the current mode, so
 * a mode or model change takes effect on the next turn. One turn at a time; the getters may be read from other
 * threads (the TUI's status bar) while a turn runs.
 */
public final class CodingAgent {

    private final AgentSettings settings;
    private final Function<ModelSpec, Provider> providers;
    private final Workspace workspace;
    private final ApprovalGate gate;
    private final SessionStore store;
    private final List<Tool> gatedTools;
    /** The coding tools that may change something: their calls wait for approval in normal mode. */
    private static final Set<String> GATED_CODING_TOOLS = CodingTools.all().stream()
            .map(Tool::name)
            .filter(n -> !CodingTools.isReadOnly(n))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final List<Message> history = new ArrayList<>();
    private volatile java.util.function.Supplier<List<Tool>> extraTools = List::of;
    private volatile java.util.function.Supplier<List<Tool>> readOnlyTools = List::of;

    private volatile ModelSpec model;
    private volatile Provider provider;
    private volatile String sessionId;
    private volatile boolean sessionCreated;
    private volatile Usage lastUsage = Usage.ZERO;
    private volatile Usage sessionUsage = Usage.ZERO;
    private volatile DeclaredAgents declaredAgents = DeclaredAgents.NONE;
    /** The declared agent the turns go to, or null for the coding agent itself. */
    private volatile String declaredAgent;

    /**
     * @param providers makes the provider for a model spec; throws {@link dev.miu.core.ConfigurationException} when
     *                  it cannot (unknown provider, missing key)
     * @param store     where sessions are saved, or {@code null} to keep them in memory only
     */
    public CodingAgent(
            AgentSettings settings,
            Function<ModelSpec, Provider> providers,
            ModelSpec model,
            Workspace workspace,
            ApprovalGate gate,
            SessionStore store) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.providers = Objects.requireNonNull(providers, "providers");
        this.workspace = Objects.requireNonNull(workspace, "workspace");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.store = store;
        this.gatedTools = gate.wrap(CodingTools.all());
        this.provider = providers.apply(model);
        this.model = model;
        this.sessionId = SessionStore.newId();
    }

    /**
     * Runs one turn on {@code input}, streaming its events. When the run pauses for calls that need the user's
     * approval, the gate asks, and the run resumes with the answers (an interrupted question ends the turn
     * cancelled). The input and everything the run added are appended to the history and the session file once the
     * turn ends (also when cancelled); a provider failure throws and leaves the history as it was.
     */
    public Response send(String input, Consumer<AgentEvent> events) {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("Empty message");
        }
        Mode mode = gate.mode();
        String declared = declaredAgent;
        // a declared agent has its own model, instructions and tools; the session's history is shared
        Agent agent = declared != null ? declaredAgents.create(declared) : codingAgent(mode);
        List<Message> conversation = new ArrayList<>(history);
        Message user = Message.user(input);
        conversation.add(user);
        ToolContext context = new ToolContext(workspace.root(), sessionId);
        Consumer<AgentEvent> forward = event -> {
            if (event instanceof AgentEvent.UsageUpdate u) {
                lastUsage = u.usage();
                sessionUsage = sessionUsage.plus(u.usage());
            }
            if (!(event instanceof AgentEvent.Done)) { // one Done for the whole turn, however often it paused
                events.accept(event);
            }
        };
        Response response = agent.stream(conversation, context, forward);
        List<Message> added = new ArrayList<>(response.messages());
        Usage usage = response.usage();
        int iterations = response.iterations();
        // the run pauses where the user must approve a call: ask, then resume with the answers
        while (response.stopReason() == StopReason.AWAITING_APPROVAL && agent instanceof ReActAgent react) {
            conversation.addAll(response.messages());
            PendingApprovals pending = response.pending();
            Map<String, ApprovalDecision> decisions;
            try {
                decisions = gate.decide(pending.waiting());
            } catch (InterruptedException e) {
                added.add(cancelled(conversation.getLast(), pending));
                response = new Response(List.of(), StopReason.CANCELLED, Usage.ZERO, 0);
                break;
            }
            response = react.resume(conversation, pending, decisions, context, forward);
            added.addAll(response.messages());
            usage = usage.plus(response.usage());
            iterations += response.iterations();
        }
        events.accept(new AgentEvent.Done(response.stopReason(), usage));
        Response turn = new Response(added, response.stopReason(), usage, iterations, response.pending());
        List<Message> saved = new ArrayList<>();
        saved.add(user);
        saved.addAll(added);
        history.addAll(saved);
        save(saved);
        return turn;
    }

    /** The tool results of a paused message whose questions the user interrupted: what ran, and the rest not run. */
    private static Message cancelled(Message assistant, PendingApprovals pending) {
        Map<String, ContentBlock.ToolResult> done = new HashMap<>();
        pending.done().forEach(r -> done.put(r.toolUseId(), r));
        return Message.toolResults(assistant.toolUses().stream()
                .map(u -> done.getOrDefault(
                        u.id(), new ContentBlock.ToolResult(u.id(), "Cancelled by the user before it ran", true)))
                .toList());
    }

    /** The coding agent for this turn: its tools for {@code mode}, the calls that may change things waiting in normal mode. */
    private ReActAgent codingAgent(Mode mode) {
        List<Tool> extra = mode == Mode.PLAN ? List.of() : extraTools.get(); // never offered while planning
        Set<String> gated = new HashSet<>(GATED_CODING_TOOLS);
        extra.forEach(t -> gated.add(t.name()));
        return new ReActAgent(
                agentConfig(mode),
                provider,
                tools(mode, extra),
                new ContextWindow(settings.contextTokens()),
                gate.policy(gated));
    }

    private void save(List<Message> added) {
        if (store == null) {
            return;
        }
        if (!sessionCreated) {
            store.create(sessionId, workspace.root().toString(), model.toString());
            sessionCreated = true;
        }
        store.append(sessionId, added);
    }

    private AgentConfig agentConfig(Mode mode) {
        return new AgentConfig(
                "miu-code",
                CodingPrompt.system(workspace, mode),
                model.toString(),
                Math.max(settings.maxIterations(), CodingPrompt.MIN_ITERATIONS),
                settings.maxTokens(),
                settings.temperature());
    }

    /**
     * Adds tools beyond the coding tools, asked for each turn: {@code gated} ones (an MCP server's) need approval like
     * Write and Bash and are not offered while planning; {@code readOnly} ones (search_knowledge, MCP tools marked
     * read-only) always run.
     */
    public void useExtraTools(
            java.util.function.Supplier<List<Tool>> gated, java.util.function.Supplier<List<Tool>> readOnly) {
        this.extraTools = Objects.requireNonNull(gated, "gated");
        this.readOnlyTools = Objects.requireNonNull(readOnly, "readOnly");
    }

    /** The tools the model is offered: all of them, or only the read-only ones while planning. */
    private ToolRegistry tools(Mode mode, List<Tool> extra) {
        List<Tool> offered = new ArrayList<>(gatedTools.stream()
                .filter(t -> mode != Mode.PLAN || CodingTools.isReadOnly(t.name()))
                .toList());
        offered.addAll(readOnlyTools.get());
        offered.addAll(gate.wrap(extra)); // outside tools may change things
        return ToolRegistry.of(offered);
    }

    /** The declared agents {@link #useAgent} can switch to. */
    public void useDeclaredAgents(DeclaredAgents agents) {
        this.declaredAgents = Objects.requireNonNull(agents, "agents");
    }

    /**
     * Hands the next turns to the declared agent {@code name} (with the same history), or back to the coding agent
     * when {@code name} is null; an unknown name throws and changes nothing.
     *
     * @throws java.util.NoSuchElementException no declared agent has that name
     */
    public void useAgent(String name) {
        if (name != null && !declaredAgents.names().contains(name)) {
            throw new java.util.NoSuchElementException("No declared agent '" + name + "'"
                    + (declaredAgents.names().isEmpty()
                            ? " (none are declared: agents: in app.yaml, or --agents DIR)"
                            : "; declared: " + String.join(", ", declaredAgents.names())));
        }
        declaredAgent = name;
    }

    /** The declared agent the turns go to, or null when the coding agent answers. */
    public String declaredAgent() {
        return declaredAgent;
    }

    public DeclaredAgents declaredAgents() {
        return declaredAgents;
    }

    /** Starts an empty session (the old one stays on disk) and forgets "always allow" answers. */
    public String newSession() {
        history.clear();
        sessionId = SessionStore.newId();
        sessionCreated = false;
        lastUsage = Usage.ZERO;
        sessionUsage = Usage.ZERO;
        gate.resetSession();
        return sessionId;
    }

    /** Loads a stored session and continues it; later turns are appended to the same file. */
    public SessionInfo resume(String id) {
        if (store == null) {
            throw new IllegalStateException("Sessions are not saved in this run");
        }
        StoredSession stored = store.load(id);
        history.clear();
        history.addAll(stored.messages());
        sessionId = id;
        sessionCreated = true;
        lastUsage = Usage.ZERO;
        sessionUsage = Usage.ZERO;
        gate.resetSession();
        return stored.info();
    }

    /** Switches model for the next turn; a spec that cannot be used throws and changes nothing. */
    public void setModel(ModelSpec next) {
        if (next.model() == null) {
            next = new ModelSpec(next.provider(), Providers.defaultModel(next.provider()));
        }
        Provider p = providers.apply(next);
        provider = p;
        model = next;
    }

    public ModelSpec model() {
        return model;
    }

    public Mode mode() {
        return gate.mode();
    }

    public ApprovalGate gate() {
        return gate;
    }

    public Workspace workspace() {
        return workspace;
    }

    public String sessionId() {
        return sessionId;
    }

    public SessionStore store() {
        return store;
    }

    public List<Message> history() {
        return List.copyOf(history);
    }

    /** Tokens of the latest model call (its prompt plus answer): how full the context window is now. */
    public long contextTokensUsed() {
        Usage u = lastUsage;
        return u.inputTokens() + u.cacheReadTokens() + u.cacheWriteTokens() + u.outputTokens();
    }

    public long contextWindow() {
        return settings.contextTokens();
    }

    public Usage sessionUsage() {
        return sessionUsage;
    }
}
