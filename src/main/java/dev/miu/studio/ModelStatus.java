package dev.miu.studio;

import dev.miu.config.MiuConfig;
import dev.miu.core.ConfigurationException;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.Providers;

import java.util.List;

/**
 * Whether the studio can answer chats: the model new sessions get and whether its provider has what it needs, or
 * else what to set. {@code GET /api/v1/info} reports it (the web UI's first page shows it) and the serve banner
 * prints it, so both say the same.
 *
 * @param model      the default model as {@code provider:model}, or null when none is configured or detected
 * @param configured whether a chat with the default model can reach its provider
 * @param problem    why not, in the words a chat's 503 uses; null when configured
 * @param settings   the variables that would configure it, in the order miu prefers providers; empty when configured
 */
public record ModelStatus(String model, boolean configured, String problem, List<Setting> settings) {

    /**
     * One environment variable to set.
     *
     * @param name        the variable, e.g. {@code ANTHROPIC_API_KEY}
     * @param example     a line a user can copy and fill in, e.g. {@code export ANTHROPIC_API_KEY=sk-ant-...}
     * @param description what it is for
     */
    public record Setting(String name, String example, String description) {}

    private static final Setting ANTHROPIC =
            new Setting("ANTHROPIC_API_KEY", "export ANTHROPIC_API_KEY=sk-ant-...", "Anthropic (Claude)");
    private static final Setting OPENAI = new Setting("OPENAI_API_KEY", "export OPENAI_API_KEY=sk-...", "OpenAI");
    private static final Setting OPENAI_COMPATIBLE = new Setting(
            "OPENAI_BASE_URL",
            "export OPENAI_BASE_URL=http://localhost:8080/v1",
            "any OpenAI-compatible server (vLLM, llama.cpp server, LM Studio, OpenRouter, Groq)");
    private static final Setting GEMINI =
            new Setting("GEMINI_API_KEY", "export GEMINI_API_KEY=...", "Google Gemini (or GOOGLE_API_KEY)");
    private static final Setting OLLAMA = new Setting(
            "MIU_MODEL",
            "export MIU_MODEL=ollama:llama3.2",
            "a local Ollama model (OLLAMA_HOST if it is not on localhost:11434)");
    private static final List<Setting> EVERY_WAY = List.of(ANTHROPIC, OPENAI, OPENAI_COMPATIBLE, GEMINI, OLLAMA);

    public ModelStatus {
        settings = List.copyOf(settings);
    }

    /** The status of {@code config}'s default model: resolved as a new session's would be, its provider checked. */
    public static ModelStatus of(MiuConfig config) {
        ModelSpec spec;
        try {
            spec = config.resolveModel(null);
        } catch (ConfigurationException e) {
            return new ModelStatus(null, false, e.getMessage(), EVERY_WAY);
        }
        try {
            // creating a provider only checks its settings; it sends nothing
            new Providers(config.providers(), ProviderOptions.DEFAULT).create(spec);
            return new ModelStatus(spec.toString(), true, null, List.of());
        } catch (ConfigurationException e) {
            return new ModelStatus(spec.toString(), false, e.getMessage(), settingsFor(spec.provider()));
        }
    }

    /** What configures {@code provider}, named by the default model but lacking its key. */
    private static List<Setting> settingsFor(String provider) {
        return switch (provider) {
            case "anthropic" -> List.of(ANTHROPIC);
            case "openai" -> List.of(OPENAI, OPENAI_COMPATIBLE);
            case "gemini" -> List.of(GEMINI);
            default -> EVERY_WAY; // an unknown provider: any choice is a new one
        };
    }

    /** The banner's line: {@code anthropic:claude-sonnet-4-5 (provider configured)}, or what is missing. */
    public String describe() {
        if (configured) {
            return model + " (provider configured)";
        }
        return (model == null ? "none: " : model + ": ") + problem + " (chats answer 503 until this is set)";
    }
}
