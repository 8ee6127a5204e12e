package dev.miu.core.agent;

import java.util.Objects;

/**
 * How an agent behaves.
 *
 * @param name          shown in traces and logs
 * @param systemPrompt  system prompt, or {@code null}
 * @param model         model spec {@code provider:model}; informational when the provider is passed in directly
 * @param maxIterations model calls allowed in one run before it stops with {@code MAX_ITERATIONS}
 * @param maxTokens     output-token limit per model call
 * @param temperature   sampling temperature, or {@code null} for the provider's default
 */
public record AgentConfig(
        String name, String systemPrompt, String model, int maxIterations, int maxTokens, Double temperature) {

    public static final int DEFAULT_MAX_ITERATIONS = 10;
    public static final int DEFAULT_MAX_TOKENS = 4096;

    public AgentConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1");
        }
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw new IllegalArgumentException("temperature must be between 0 and 2");
        }
    }

    public static AgentConfig of(String name, String model) {
        return new AgentConfig(name, null, model, DEFAULT_MAX_ITERATIONS, DEFAULT_MAX_TOKENS, null);
    }

    public AgentConfig withSystemPrompt(String systemPrompt) {
        return new AgentConfig(name, systemPrompt, model, maxIterations, maxTokens, temperature);
    }

    public AgentConfig withModel(String model) {
        return new AgentConfig(name, systemPrompt, model, maxIterations, maxTokens, temperature);
    }

    public AgentConfig withMaxIterations(int maxIterations) {
        return new AgentConfig(name, systemPrompt, model, maxIterations, maxTokens, temperature);
    }

    public AgentConfig withMaxTokens(int maxTokens) {
        return new AgentConfig(name, systemPrompt, model, maxIterations, maxTokens, temperature);
    }

    public AgentConfig withTemperature(Double temperature) {
        return new AgentConfig(name, systemPrompt, model, maxIterations, maxTokens, temperature);
    }
}
