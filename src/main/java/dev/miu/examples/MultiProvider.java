package dev.miu.examples;

import dev.miu.core.ConfigurationException;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.agent.Response;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.ProviderException;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.core.provider.Providers;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * The same question to every provider that is configured, side by side; says why it skips each of the others.
 * Exit code 0 when every configured provider answered, 1 if one failed, 2 if none is configured.
 */
public final class MultiProvider implements Example {

    static final String QUESTION = "Name one famous bridge and its city, in one short sentence.";

    public static void main(String[] args) {
        System.exit(new MultiProvider().run(ExampleContext.fromEnvironment()));
    }

    @Override
    public String name() {
        return "multi-provider";
    }

    @Override
    public String description() {
        return "The same question to each provider whose key is set (Anthropic, OpenAI, Gemini, Ollama)";
    }

    @Override
    public int run(ExampleContext context) {
        PrintWriter out = context.out();
        Providers providers = context.providers();
        int ran = 0;
        int failed = 0;
        out.println("Question: " + QUESTION);
        for (String provider : List.of("anthropic", "openai", "gemini", "ollama")) {
            Optional<String> missing = missingSetting(provider, context.settings());
            if (missing.isPresent()) {
                out.println("[" + provider + "] skipped: " + missing.get());
                continue;
            }
            ModelSpec model = providers.withDefaultModel(new ModelSpec(provider, null));
            var agent = new ReActAgent(
                    AgentConfig.of("multi-provider-" + provider, model.toString()), providers.create(model));
            ran++;
            try {
                Response response = agent.run(QUESTION);
                out.println("[" + model + "] " + response.text().strip() + "  ("
                        + response.usage().inputTokens() + " in, "
                        + response.usage().outputTokens() + " out)");
            } catch (ProviderException e) {
                failed++;
                out.println("[" + model + "] failed: " + e.getMessage());
            }
            out.flush();
        }
        if (ran == 0) {
            throw new ConfigurationException(
                    "No provider is configured, so there is nothing to compare: " + Providers.WHAT_TO_SET);
        }
        out.println(ran + " provider(s) asked, " + failed + " failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    /** Why {@code provider} cannot run with these settings, or empty if it can. */
    static Optional<String> missingSetting(String provider, ProviderSettings s) {
        return switch (provider) {
            case "anthropic" ->
                s.anthropicApiKey() == null ? Optional.of("ANTHROPIC_API_KEY is not set") : Optional.empty();
            case "openai" ->
                s.openaiApiKey() == null && s.openaiBaseUrl() == null
                        ? Optional.of("OPENAI_API_KEY (or OPENAI_BASE_URL) is not set")
                        : Optional.empty();
            case "gemini" ->
                s.geminiApiKey() == null
                        ? Optional.of("GEMINI_API_KEY (or GOOGLE_API_KEY) is not set")
                        : Optional.empty();
            // Ollama needs no key; only ask it when the user said where it runs, so a missing local server is no error
            case "ollama" ->
                s.ollamaHost() == null
                        ? Optional.of("OLLAMA_HOST is not set (start Ollama and set it to include it)")
                        : Optional.empty();
            default -> Optional.of("unknown provider");
        };
    }
}
