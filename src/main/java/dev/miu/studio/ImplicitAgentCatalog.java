package dev.miu.studio;

import dev.miu.agents.AgentCatalog;
import dev.miu.agents.SamplingLimits;
import dev.miu.config.AgentDefinition;
import dev.miu.config.AgentSettings;
import dev.miu.config.MiuConfig;
import dev.miu.config.ToolRef;
import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.ApprovalPolicy;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.memory.ContextWindow;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.Provider;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.Providers;
import dev.miu.core.tool.Tool;
import dev.miu.studio.tools.StudioTools;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one agent a studio has when it is given no catalog: {@code assistant}, the {@code agent:} section's model,
 * system prompt and limits with the studio's tools (as every studio turn ran before agents were declared). As for a
 * declared agent, the calls of MCP tools that may change things (not marked {@code readOnlyHint}) wait for a
 * person's approval.
 */
final class ImplicitAgentCatalog implements AgentCatalog {

    private final MiuConfig config;
    private final StudioTools tools;
    private final McpServers mcp;
    private final Providers providers;
    /** One provider (and so one HTTP client with its connection pool) per provider name, not one per turn. */
    private final Map<String, Provider> providerCache = new ConcurrentHashMap<>();

    ImplicitAgentCatalog(MiuConfig config, StudioTools tools, McpServers mcp, ProviderOptions options) {
        this.config = config;
        this.tools = tools;
        this.mcp = mcp;
        this.providers = new Providers(config.providers(), options);
    }

    @Override
    public String defaultAgent() {
        return AgentDefinition.DEFAULT_NAME;
    }

    /** Its tools are listed as they are now: MCP servers may come and go. */
    @Override
    public List<AgentDefinition> definitions() {
        AgentSettings settings = config.agent();
        List<ToolRef> toolRefs =
                tools.names().stream().<ToolRef>map(ToolRef.Builtin::new).toList();
        return List.of(new AgentDefinition.Model(
                AgentDefinition.DEFAULT_NAME,
                "The studio's assistant",
                null,
                settings.model(),
                settings.systemPrompt(),
                settings.maxIterations(),
                settings.maxTokens(),
                settings.temperature(),
                toolRefs));
    }

    @Override
    public Agent create(String name, String modelOverride, String instructionsOverride, SamplingLimits limits) {
        if (!AgentDefinition.DEFAULT_NAME.equals(name)) {
            throw new NoSuchElementException("No agent named '" + name + "'");
        }
        AgentSettings settings = config.agent();
        ModelSpec spec = config.resolveModel(modelOverride); // null: the agent section's model, else the detected one
        // Keyed by provider, not model: a provider serves every model (the request names it), and session models
        // are client input, so a per-model cache could be grown without bound.
        Provider provider = providerCache.computeIfAbsent(spec.provider(), p -> providers.create(spec));
        var agentConfig = limits.applyTo(new AgentConfig(
                AgentDefinition.DEFAULT_NAME,
                instructionsOverride != null ? instructionsOverride : settings.systemPrompt(),
                spec.toString(),
                settings.maxIterations(),
                settings.maxTokens(),
                settings.temperature()));
        java.util.Set<String> mayChange =
                mcp.toolsThatMayChange().stream().map(Tool::name).collect(java.util.stream.Collectors.toSet());
        return new ReActAgent(
                agentConfig,
                provider,
                tools.registry(),
                new ContextWindow(settings.contextTokens()),
                mayChange.isEmpty() ? ApprovalPolicy.NEVER : ApprovalPolicy.forTools(mayChange));
    }
}
