package dev.miu.cli;

import dev.miu.code.repl.OneShot;
import dev.miu.code.repl.Repl;
import dev.miu.config.MiuConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code miu}: the coding REPL with no arguments, one question with {@code -q}, or a subcommand. */
@Command(name = "miu", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "An AI agent framework and server for the JVM.",
        subcommands = {CommandLine.HelpCommand.class, CodeCommand.class, TuiCommand.class})
public final class MiuCommand implements Callable<Integer> {

    @Option(names = {"-q", "--query"}, paramLabel = "QUESTION", description = "Ask the coding agent one question, stream the answer to stdout, and exit.")
    String query;

    @Option(names = {"-m", "--model"}, paramLabel = "PROVIDER:MODEL",
            description = "Model to use, e.g. anthropic:claude-sonnet-4-5, openai:gpt-4.1-mini, ollama:llama3.2 (default: MIU_MODEL, app.yaml, or the first provider with a key).")
    String model;

    @Option(names = "--config", paramLabel = "FILE", description = "app.yaml to read (default: ./app.yaml, else built-in).")
    Path configFile;

    // coding agent: --mode, --session, --continue, --workspace for the REPL and -q
    @CommandLine.Mixin
    CodingCliOptions coding;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        MiuConfig config = MiuConfig.load(configFile, System.getenv());
        if (query == null) {
            return Repl.run(config, coding.toOptions(model));
        }
        if (query.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "The question given to -q is empty");
        }
        return OneShot.run(config, coding.toOptions(model), query, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
