package dev.miu.agents;

import dev.miu.core.agent.AgentConfig;

/**
 * What one turn asks of every model agent it runs (a request of the OpenAI-compatible API): {@code maxTokens} can
 * only lower an agent's own output-token limit, {@code temperature} replaces its own. A composition passes them to
 * each model agent it runs (pipeline stages, orchestrator tasks, a router's routes, agents used as tools), not to a
 * router's classifier, which picks a route and does not answer.
 *
 * @param maxTokens   the turn's output-token limit per model call, or null: each agent's own
 * @param temperature the turn's sampling temperature (0 to 2), or null: each agent's own
 */
public record SamplingLimits(Integer maxTokens, Double temperature) {

    /** No limits: every agent keeps its own settings. */
    public static final SamplingLimits NONE = new SamplingLimits(null, null);

    public SamplingLimits {
        if (maxTokens != null && maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1");
        }
        if (temperature != null && (temperature.isNaN() || temperature < 0 || temperature > 2)) {
            throw new IllegalArgumentException("temperature must be between 0 and 2");
        }
    }

    /** A model agent's settings under these limits. */
    public AgentConfig applyTo(AgentConfig config) {
        AgentConfig limited = config;
        if (maxTokens != null && maxTokens < config.maxTokens()) {
            limited = limited.withMaxTokens(maxTokens);
        }
        if (temperature != null) {
            limited = limited.withTemperature(temperature);
        }
        return limited;
    }
}
