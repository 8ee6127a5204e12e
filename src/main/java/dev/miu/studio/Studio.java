package dev.miu.studio;

import dev.miu.config.MiuConfig;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.studio.chat.ActiveTurns;
import dev.miu.studio.chat.ChatRunner;
import dev.miu.studio.session.FileSessionRepository;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.tools.StudioTools;

import java.util.Objects;

/**
 * Everything the studio's routes share, wired once: configuration (including provider settings, so tests can
 * point it at a scripted server), the session store, the tools agents get, and the chat runner.
 */
public final class Studio {

    private final MiuConfig config;
    private final SessionRepository sessions;
    private final StudioTools tools;
    private final ChatRunner chat;
    private final McpServers mcp;

    public Studio(MiuConfig config, SessionRepository sessions, StudioTools tools, ProviderOptions providerOptions) {
        this(config, sessions, tools, providerOptions, McpServers.none());
    }

    /** A studio whose agents also get the tools of the running MCP servers {@code mcp}. */
    public Studio(MiuConfig config, SessionRepository sessions, StudioTools tools, ProviderOptions providerOptions,
                  McpServers mcp) {
        this.config = Objects.requireNonNull(config, "config");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.mcp = Objects.requireNonNull(mcp, "mcp");
        this.tools = mcp.isEmpty() ? Objects.requireNonNull(tools, "tools") : tools.with(mcp::tools);
        this.chat = new ChatRunner(config, sessions, this.tools, providerOptions, new ActiveTurns());
    }

    /**
     * The studio as {@code miu serve} runs it: sessions in files under the data directory, tools from app.yaml,
     * plus the tools of the MCP servers already started.
     */
    public static Studio create(MiuConfig config, McpServers mcp) {
        return new Studio(config, new FileSessionRepository(config.dataDir()), StudioTools.fromConfig(config.yaml()),
                ProviderOptions.DEFAULT, mcp);
    }

    public static Studio create(MiuConfig config) {
        return create(config, McpServers.none());
    }

    public McpServers mcp() {
        return mcp;
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

    public ChatRunner chat() {
        return chat;
    }
}
