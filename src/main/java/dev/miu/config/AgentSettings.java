package dev.miu.config;

import dev.miu.core.ConfigurationException;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code agent} section of app.yaml: defaults for agents miu creates.
 *
 * @param model        model spec, or {@code null} to use the first provider that has credentials
 * @param systemPrompt default system prompt, or {@code null}
 * @param contextTokens token budget for the conversation sent to the model (older turns are trimmed)
 * @param turnTimeout  how long a studio chat turn may run in all before it is stopped ({@code agent.turn-timeout})
 * @param approvalTimeout how long a streamed studio turn waits, its client connected, for a person to decide the
 *                     calls it paused at before it ends as {@code awaiting_approval} ({@code agent.approval-timeout};
 *                     zero: it ends at once)
 */
public record AgentSettings(
        String model,
        String systemPrompt,
        int maxIterations,
        int maxTokens,
        Double temperature,
        long contextTokens,
        Duration turnTimeout,
        Duration approvalTimeout) {

    public static final Duration DEFAULT_TURN_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofMinutes(10);

    public AgentSettings(
            String model,
            String systemPrompt,
            int maxIterations,
            int maxTokens,
            Double temperature,
            long contextTokens,
            Duration turnTimeout) {
        this(
                model,
                systemPrompt,
                maxIterations,
                maxTokens,
                temperature,
                contextTokens,
                turnTimeout,
                DEFAULT_APPROVAL_TIMEOUT);
    }

    public AgentSettings(
            String model,
            String systemPrompt,
            int maxIterations,
            int maxTokens,
            Double temperature,
            long contextTokens) {
        this(model, systemPrompt, maxIterations, maxTokens, temperature, contextTokens, DEFAULT_TURN_TIMEOUT);
    }

    /** The {@code agent} section, with {@code MIU_MODEL} over its model. */
    static AgentSettings from(ConfigTree agent, Map<String, String> env) {
        String model =
                env.getOrDefault("MIU_MODEL", agent.get("model").asString().orElse(null));
        int maxIterations = agent.get("max-iterations").asInt().orElse(10);
        int maxTokens = agent.get("max-tokens").asInt().orElse(4096);
        if (maxIterations < 1 || maxTokens < 1) {
            throw new ConfigurationException("agent.max-iterations and agent.max-tokens must be at least 1");
        }
        return new AgentSettings(
                MiuConfig.blankToNull(model),
                MiuConfig.blankToNull(agent.get("system-prompt").asString().orElse(null)),
                maxIterations,
                maxTokens,
                agent.get("temperature").asDouble().orElse(null),
                agent.get("context-tokens").asLong().orElse(150_000L),
                Durations.get(agent, "turn-timeout", "agent.turn-timeout", DEFAULT_TURN_TIMEOUT),
                agent.get("approval-timeout")
                        .asString()
                        .map(v -> v.strip().equals("0") ? Duration.ZERO : Durations.parse("agent.approval-timeout", v))
                        .orElse(DEFAULT_APPROVAL_TIMEOUT));
    }

    /** These settings with another default model ({@code --model}). */
    public AgentSettings withModel(String model) {
        return new AgentSettings(
                model,
                systemPrompt,
                maxIterations,
                maxTokens,
                temperature,
                contextTokens,
                turnTimeout,
                approvalTimeout);
    }

    public AgentSettings withTurnTimeout(Duration timeout) {
        return new AgentSettings(
                model, systemPrompt, maxIterations, maxTokens, temperature, contextTokens, timeout, approvalTimeout);
    }

    public AgentSettings withApprovalTimeout(Duration timeout) {
        return new AgentSettings(
                model, systemPrompt, maxIterations, maxTokens, temperature, contextTokens, turnTimeout, timeout);
    }
}
