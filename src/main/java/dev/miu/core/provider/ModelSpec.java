package dev.miu.core.provider;

import dev.miu.core.ConfigurationException;

/**
 * A model named as {@code provider:model}, e.g. {@code anthropic:claude-sonnet-4-5} or {@code ollama:llama3.2}.
 * A bare provider name ({@code openai}) means that provider's default model.
 *
 * @param model the model name, or {@code null} for the provider's default
 */
public record ModelSpec(String provider, String model) {

    public static ModelSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new ConfigurationException("Empty model spec; use provider:model, e.g. anthropic:claude-sonnet-4-5");
        }
        String s = spec.strip();
        int colon = s.indexOf(':');
        if (colon < 0) {
            return new ModelSpec(s.toLowerCase(java.util.Locale.ROOT), null);
        }
        String provider = s.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT);
        String model = s.substring(colon + 1).strip();
        if (provider.isEmpty()) {
            throw new ConfigurationException("Model spec '" + spec + "' has no provider; use provider:model");
        }
        return new ModelSpec(provider, model.isEmpty() ? null : model);
    }

    @Override
    public String toString() {
        return model == null ? provider : provider + ":" + model;
    }
}
