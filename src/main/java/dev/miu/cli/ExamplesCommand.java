package dev.miu.cli;

import dev.miu.config.MiuConfig;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.examples.Example;
import dev.miu.examples.ExampleContext;
import dev.miu.examples.Examples;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code miu examples list} and {@code miu examples run NAME}: the runnable demos of the library. */
@Command(
        name = "examples",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "List or run the examples of the miu library.")
public final class ExamplesCommand implements Callable<Integer> {

    private final Map<String, String> env;

    @CommandLine.ParentCommand
    MiuCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public ExamplesCommand() {
        this(System.getenv());
    }

    /** With an explicit environment, so tests point the examples at a scripted server. */
    ExamplesCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        return list();
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "List the examples.")
    int list() {
        PrintWriter out = spec.commandLine().getOut();
        for (Example example : Examples.ALL) {
            out.printf("  %-16s %s%n", example.name(), example.description());
        }
        out.println();
        out.println("Run one with: miu examples run NAME [--model PROVIDER:MODEL]");
        out.flush();
        return 0;
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "Run an example against the configured model provider.")
    int run(
            @Parameters(
                            paramLabel = "NAME",
                            completionCandidates = Names.class,
                            description = "Example to run: ${COMPLETION-CANDIDATES}.")
                    String name,
            @Option(
                            names = {"-m", "--model"},
                            paramLabel = "PROVIDER:MODEL",
                            description =
                                    "Model to use (default: MIU_MODEL, app.yaml, or the first provider with a key).")
                    String model,
            @Option(names = "--config", paramLabel = "FILE", description = OptionText.CONFIG) Path configFile) {
        Example example = Examples.named(name);
        MiuConfig config =
                MiuConfig.load(configFile != null ? configFile : parent == null ? null : parent.configFile, env);
        String chosen = model != null
                ? model
                : parent != null && parent.model != null
                        ? parent.model
                        : config.agent().model();
        var out = spec.commandLine().getOut();
        return example.run(new ExampleContext(config.providers(), ProviderOptions.DEFAULT, chosen, out));
    }

    /** Example names, for help text and shell completion. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Examples.ALL.stream().map(Example::name).iterator();
        }
    }
}
