package dev.miu.agents;

import dev.miu.config.AgentDefinition;
import dev.miu.core.agent.Agent;

import java.util.List;
import java.util.Optional;

/**
 * The agents a server or a CLI command hosts: their validated definitions, and a runnable {@link Agent} for a
 * turn. The studio, the API and the CLI see agents only through this.
 */
public interface AgentCatalog {

    /** The agent new sessions get when they name none ({@code default-agent}, else {@code assistant}). */
    String defaultAgent();

    /** Every definition, in declaration order (app.yaml's first, then the agents directory's by file name). */
    List<AgentDefinition> definitions();

    default Optional<AgentDefinition> find(String name) {
        return definitions().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The names of every agent, in declaration order: what an error about an unknown agent lists. */
    default List<String> names() {
        return definitions().stream().map(AgentDefinition::name).toList();
    }

    /**
     * A runnable agent for one turn. {@code modelOverride} and {@code instructionsOverride} (each may be null) are
     * a session's own model and system prompt; they replace a model agent's and are ignored by compositions.
     *
     * @throws java.util.NoSuchElementException         no agent has that name
     * @throws dev.miu.core.ConfigurationException no provider is configured for a model it needs
     */
    default Agent create(String name, String modelOverride, String instructionsOverride) {
        return create(name, modelOverride, instructionsOverride, SamplingLimits.NONE);
    }

    /**
     * {@link #create(String, String, String)} with the turn's {@code limits} applied to every model agent the
     * agent runs: itself, or each one a composition runs (not a router's classifier).
     */
    Agent create(String name, String modelOverride, String instructionsOverride, SamplingLimits limits);
}
