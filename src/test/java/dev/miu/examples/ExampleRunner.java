package dev.miu.examples;

import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.core.provider.RetryPolicy;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs an example with injected settings and captures what it prints. */
record ExampleRunner(int exitCode, String output) {

    static ExampleRunner run(Example example, ProviderSettings settings, String model) {
        var text = new StringWriter();
        var out = new PrintWriter(text);
        int code = example.run(
                new ExampleContext(settings, ProviderOptions.DEFAULT.withRetry(RetryPolicy.NONE), model, out));
        out.flush();
        return new ExampleRunner(code, text.toString());
    }
}
