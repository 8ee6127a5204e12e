package dev.miu.studio;

import dev.miu.agents.AgentCatalog;
import dev.miu.config.MiuConfig;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.rag.KnowledgeBase;
import dev.miu.rag.RagService;
import dev.miu.rag.RagSettings;
import dev.miu.rag.SearchKnowledgeTool;
import dev.miu.studio.chat.ActiveTurns;
import dev.miu.studio.chat.ChatRunner;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.tools.StudioTools;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything the studio's routes share, wired once: configuration (including provider settings, so tests can
 * point it at a scripted server), the session store, the agents it hosts, and the chat runner.
 */
public final class Studio {

    private final MiuConfig config;
    private final SessionRepository sessions;
    private final StudioTools tools;
    private final ChatRunner chat;
    private final McpServers mcp;
    private final RagService rag;

    public Studio(MiuConfig config, SessionRepository sessions, StudioTools tools, ProviderOptions providerOptions) {
        this(config, sessions, tools, providerOptions, McpServers.none(), null);
    }

    public Studio(
            MiuConfig config,
            SessionRepository sessions,
            StudioTools tools,
            ProviderOptions providerOptions,
            McpServers mcp) {
        this(config, sessions, tools, providerOptions, mcp, null);
    }

    /**
     * A studio whose one agent, {@code assistant}, is the {@code agent:} section's with {@code tools} and the tools
     * of the running MCP servers {@code mcp}, and which serves the retrieval API of {@code rag} (null: no
     * {@code /api/v1/rag} routes).
     */
    public Studio(
            MiuConfig config,
            SessionRepository sessions,
            StudioTools tools,
            ProviderOptions providerOptions,
            McpServers mcp,
            RagService rag) {
        this(config, sessions, tools, mcp, rag, all -> new ImplicitAgentCatalog(config, all, mcp, providerOptions));
    }

    /**
     * A studio hosting the agents of {@code agents}. {@code tools} (with those of {@code mcp}) are what {@code /info}
     * lists; {@code rag} serves the retrieval API (null: none).
     */
    public Studio(
            MiuConfig config,
            SessionRepository sessions,
            StudioTools tools,
            AgentCatalog agents,
            McpServers mcp,
            RagService rag) {
        this(config, sessions, tools, mcp, rag, all -> Objects.requireNonNull(agents, "agents"));
    }

    private Studio(
            MiuConfig config,
            SessionRepository sessions,
            StudioTools tools,
            McpServers mcp,
            RagService rag,
            Function<StudioTools, AgentCatalog> agents) {
        this.config = Objects.requireNonNull(config, "config");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.mcp = Objects.requireNonNull(mcp, "mcp");
        this.tools = mcp.isEmpty() ? Objects.requireNonNull(tools, "tools") : tools.with(mcp::tools);
        this.rag = rag;
        this.chat = new ChatRunner(config, sessions, agents.apply(this.tools), new ActiveTurns());
    }

    /**
     * The studio as {@code miu serve} runs it: sessions in the store {@code sessions.store} names, tools from app.yaml,
     * the tools of the MCP servers already started, the retrieval API over {@code knowledge}, and the
     * search_knowledge tool when {@code rag.collection} names a collection; one agent, {@code assistant}.
     */
    public static Studio create(MiuConfig config, McpServers mcp, KnowledgeBase knowledge, RagSettings ragSettings) {
        return new Studio(
                config,
                SessionStores.open(config),
                tools(config, knowledge, ragSettings),
                ProviderOptions.DEFAULT,
                mcp,
                RagService.create(knowledge, ragSettings));
    }

    /** As {@link #create(MiuConfig, McpServers, KnowledgeBase, RagSettings)}, hosting the agents of {@code agents}. */
    public static Studio create(
            MiuConfig config, McpServers mcp, KnowledgeBase knowledge, RagSettings ragSettings, AgentCatalog agents) {
        return new Studio(
                config,
                SessionStores.open(config),
                tools(config, knowledge, ragSettings),
                agents,
                mcp,
                RagService.create(knowledge, ragSettings));
    }

    private static StudioTools tools(MiuConfig config, KnowledgeBase knowledge, RagSettings ragSettings) {
        StudioTools tools = StudioTools.named(config.studio().tools());
        if (ragSettings.collection() != null) {
            var search = SearchKnowledgeTool.create(
                    knowledge, ragSettings.collection(), ragSettings.topK(), ragSettings.searchMode());
            tools = tools.with(() -> List.of(search));
        }
        return tools;
    }

    public static Studio create(MiuConfig config) {
        return new Studio(
                config,
                SessionStores.open(config),
                StudioTools.named(config.studio().tools()),
                ProviderOptions.DEFAULT);
    }

    public McpServers mcp() {
        return mcp;
    }

    /** The retrieval API, or null when this studio has none. */
    public RagService rag() {
        return rag;
    }

    public MiuConfig config() {
        return config;
    }

    public SessionRepository sessions() {
        return sessions;
    }

    public StudioTools tools() {
        return tools;
    }

    /** The agents this studio hosts. */
    public AgentCatalog agents() {
        return chat.agents();
    }

    public ChatRunner chat() {
        return chat;
    }
}
