package dev.miu.core.provider;

import dev.miu.core.ConfigurationException;
import dev.miu.core.provider.anthropic.AnthropicProvider;
import dev.miu.core.provider.gemini.GeminiProvider;
import dev.miu.core.provider.openai.OpenAiProvider;

import java.util.List;
import java.util.Optional;

/** Makes providers from model specs and settings. The one place that knows every provider name. */
public final class Providers {

    /** Every provider name a model spec may start with. */
    public static final List<String> KNOWN = List.of("anthropic", "openai", "gemini", "ollama");

    /** The setting a user must set to use each provider that needs one, in the order miu prefers them. */
    public static final String WHAT_TO_SET = "set ANTHROPIC_API_KEY, OPENAI_API_KEY (or OPENAI_BASE_URL for an "
            + "OpenAI-compatible server) or GEMINI_API_KEY, or choose a local model with --model ollama:MODEL / MIU_MODEL";

    private final ProviderSettings settings;
    private final ProviderOptions options;

    /** The providers get {@code options} with the proxies of {@code settings} (from the environment). */
    public Providers(ProviderSettings settings, ProviderOptions options) {
        this.settings = settings;
        this.options = options.withProxy(settings.proxy());
    }

    /** The first provider with credentials, when the user named none: Anthropic, then OpenAI, then Gemini. */
    public Optional<String> detectProvider() {
        if (settings.anthropicApiKey() != null) {
            return Optional.of(AnthropicProvider.NAME);
        }
        if (settings.openaiApiKey() != null || settings.openaiBaseUrl() != null) {
            return Optional.of(OpenAiProvider.NAME);
        }
        if (settings.geminiApiKey() != null) {
            return Optional.of(GeminiProvider.NAME);
        }
        return Optional.empty();
    }

    /** Fills in the provider's default model when the spec names only a provider. */
    public ModelSpec withDefaultModel(ModelSpec spec) {
        if (spec.model() != null) {
            return spec;
        }
        return new ModelSpec(spec.provider(), defaultModel(spec.provider()));
    }

    public static String defaultModel(String provider) {
        return switch (provider) {
            case "anthropic" -> AnthropicProvider.DEFAULT_MODEL;
            case "openai" -> OpenAiProvider.DEFAULT_MODEL;
            case "gemini" -> GeminiProvider.DEFAULT_MODEL;
            case "ollama" -> "llama3.2";
            default -> throw unknown(provider);
        };
    }

    /** A provider for {@code spec}; a clear {@link ConfigurationException} if it is unknown or lacks its key. */
    public Provider create(ModelSpec spec) {
        return switch (spec.provider()) {
            case "anthropic" -> {
                if (settings.anthropicApiKey() == null) {
                    throw new ConfigurationException("No API key for anthropic: set ANTHROPIC_API_KEY"
                            + " (or pick another provider with --model / MIU_MODEL)");
                }
                yield new AnthropicProvider(settings.anthropicApiKey(), settings.anthropicBaseUrl(), options);
            }
            case "openai" -> {
                if (settings.openaiApiKey() == null && settings.openaiBaseUrl() == null) {
                    throw new ConfigurationException("No API key for openai: set OPENAI_API_KEY"
                            + " (or OPENAI_BASE_URL for an OpenAI-compatible server)");
                }
                yield new OpenAiProvider("openai", settings.openaiApiKey(), settings.openaiBaseUrl(), options);
            }
            case "gemini" -> {
                if (settings.geminiApiKey() == null) {
                    throw new ConfigurationException("No API key for gemini: set GEMINI_API_KEY (or GOOGLE_API_KEY)");
                }
                yield new GeminiProvider(settings.geminiApiKey(), settings.geminiBaseUrl(), options);
            }
            case "ollama" -> new OpenAiProvider("ollama", null, settings.ollamaBaseUrl(), options);
            default -> throw unknown(spec.provider());
        };
    }

    private static ConfigurationException unknown(String provider) {
        return new ConfigurationException(
                "Unknown provider '" + provider + "'; known providers: " + String.join(", ", KNOWN));
    }
}
