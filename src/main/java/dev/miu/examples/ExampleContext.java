package dev.miu.examples;

import dev.miu.core.ConfigurationException;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.Provider;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.core.provider.Providers;

import java.io.PrintWriter;
import java.util.Objects;

/**
 * What an example gets from its runner: where the providers are, which model to use, and where to print.
 * Settings are passed in (never read from the environment here), so tests point examples at a scripted server.
 *
 * @param model the model spec to use ({@code --model}, {@code MIU_MODEL} or app.yaml), or {@code null} to take the
 *              first provider with a key
 */
public record ExampleContext(ProviderSettings settings, ProviderOptions options, String model, PrintWriter out) {

    public ExampleContext {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(out, "out");
    }

    /** Context for an example's {@code main}: settings from the environment, output to stdout. */
    public static ExampleContext fromEnvironment() {
        return new ExampleContext(
                ProviderSettings.fromEnvironment(System.getenv()),
                ProviderOptions.DEFAULT,
                System.getenv("MIU_MODEL"),
                new PrintWriter(new java.io.OutputStreamWriter(System.out, System.out.charset()), true));
    }

    public Providers providers() {
        return new Providers(settings, options);
    }

    /** The model to use, with the provider's default model filled in; a clear error if none is configured. */
    public ModelSpec modelSpec() {
        Providers providers = providers();
        if (model != null && !model.isBlank()) {
            return providers.withDefaultModel(ModelSpec.parse(model));
        }
        return providers
                .detectProvider()
                .map(p -> providers.withDefaultModel(new ModelSpec(p, null)))
                .orElseThrow(
                        () -> new ConfigurationException("No model provider configured: " + Providers.WHAT_TO_SET));
    }

    public Provider provider(ModelSpec spec) {
        return providers().create(spec);
    }
}
