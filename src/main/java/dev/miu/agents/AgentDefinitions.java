package dev.miu.agents;

import dev.miu.config.AgentDefinition;
import dev.miu.config.MiuConfig;
import dev.miu.config.ToolRef;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The agents a command hosts: the declared ones ({@code agents:} and the agents directory) and, unless one of them
 * is named {@code assistant}, the assistant the {@code agent:} section has always defined.
 */
public final class AgentDefinitions {

    static final String ASSISTANT_DESCRIPTION = "The default assistant (the agent: section of app.yaml)";

    private AgentDefinitions() {}

    /**
     * Every agent, the implicit assistant first (when there is one), then app.yaml's, then the directory's by file.
     *
     * @param mcpServers the names of every configured MCP server (app.yaml's and {@code --mcp-config}'s)
     */
    public static List<AgentDefinition> all(MiuConfig config, Collection<String> mcpServers) {
        List<AgentDefinition> declared = config.agentDefinitions();
        if (declared.stream().anyMatch(d -> d.name().equals(AgentDefinition.DEFAULT_NAME))) {
            return declared;
        }
        List<AgentDefinition> all = new ArrayList<>();
        all.add(assistant(config, mcpServers));
        all.addAll(declared);
        return List.copyOf(all);
    }

    /** The assistant {@link #assistant} made, when it is among {@code definitions}. */
    static Optional<AgentDefinition> implicit(List<AgentDefinition> definitions) {
        return definitions.stream()
                .filter(d -> d.name().equals(AgentDefinition.DEFAULT_NAME)
                        && d.description().equals(ASSISTANT_DESCRIPTION))
                .findFirst();
    }

    /**
     * {@code assistant} as the studio ran it before agents were declared: the {@code agent:} section's model,
     * system prompt and limits, with the built-in tools of {@code studio.tools}, every MCP server's tools, and
     * search_knowledge over {@code rag.collection} when one is set.
     */
    public static AgentDefinition.Model assistant(MiuConfig config, Collection<String> mcpServers) {
        List<ToolRef> tools = new ArrayList<>();
        config.studio().tools().forEach(name -> tools.add(new ToolRef.Builtin(name.strip())));
        mcpServers.forEach(server -> tools.add(new ToolRef.Mcp(server, null)));
        if (config.rag().collection() != null) {
            tools.add(new ToolRef.Rag(config.rag().collection()));
        }
        var agent = config.agent();
        return new AgentDefinition.Model(
                AgentDefinition.DEFAULT_NAME,
                ASSISTANT_DESCRIPTION,
                Path.of(config.source()),
                null, // the server's model, resolved per turn (--model, MIU_MODEL, agent.model, the first provider)
                agent.systemPrompt(),
                agent.maxIterations(),
                agent.maxTokens(),
                agent.temperature(),
                tools);
    }
}
