package dev.miu.config;

import java.time.Duration;

/**
 * The {@code agent} section of app.yaml: defaults for agents miu creates.
 *
 * @param model        model spec, or {@code null} to use the first provider that has credentials
 * @param systemPrompt default system prompt, or {@code null}
 * @param contextTokens token budget for the conversation sent to the model (older turns are trimmed)
 * @param turnTimeout  how long a studio chat turn may run in all before it is stopped ({@code agent.turn-timeout})
 */
public record AgentSettings(String model, String systemPrompt, int maxIterations, int maxTokens, Double temperature,
                            long contextTokens, Duration turnTimeout) {

    public static final Duration DEFAULT_TURN_TIMEOUT = Duration.ofMinutes(10);

    public AgentSettings(String model, String systemPrompt, int maxIterations, int maxTokens, Double temperature,
                         long contextTokens) {
        this(model, systemPrompt, maxIterations, maxTokens, temperature, contextTokens, DEFAULT_TURN_TIMEOUT);
    }

    public AgentSettings withTurnTimeout(Duration timeout) {
        return new AgentSettings(model, systemPrompt, maxIterations, maxTokens, temperature, contextTokens, timeout);
    }
}
