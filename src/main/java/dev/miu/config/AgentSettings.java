package dev.miu.config;

/**
 * The {@code agent} section of app.yaml: defaults for agents miu creates.
 *
 * @param model        model spec, or {@code null} to use the first provider that has credentials
 * @param systemPrompt default system prompt, or {@code null}
 * @param contextTokens token budget for the conversation sent to the model (older turns are trimmed)
 */
public record AgentSettings(String model, String systemPrompt, int maxIterations, int maxTokens, Double temperature,
                            long contextTokens) {
}
