package dev.miu.cli;

import dev.miu.code.repl.OneShot;
import dev.miu.code.repl.Repl;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code miu}: the coding REPL with no arguments, one question with {@code -q}, or a subcommand. */
@Command(
        name = "miu",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "An AI agent framework and server for the JVM.",
        subcommands = {
            CommandLine.HelpCommand.class,
            ServeCommand.class,
            McpCommand.class,
            CodeCommand.class,
            TuiCommand.class,
            ExamplesCommand.class,
            CompletionCommand.class,
            RagCommand.class,
            AgentsCommand.class,
            SessionsCommand.class
        })
public final class MiuCommand implements Callable<Integer> {

    @Option(
            names = {"-q", "--query"},
            paramLabel = "QUESTION",
            description = "Ask the coding agent one question, stream the answer to stdout, and exit.")
    String query;

    @Option(
            names = {"-m", "--model"},
            paramLabel = "PROVIDER:MODEL",
            description =
                    "Model to use, e.g. anthropic:claude-sonnet-4-5, openai:gpt-4.1-mini, ollama:llama3.2 (default: MIU_MODEL, app.yaml, or the first provider with a key).")
    String model;

    // --config, --mcp-config, --model and the coding options are also options of the subcommands that use them
    // (`miu tui --config F`); given before a subcommand they apply to it only if it has them (MiuCommandLine).
    @Option(names = "--config", paramLabel = "FILE", description = OptionText.CONFIG)
    Path configFile;

    @Option(names = "--mcp-config", paramLabel = "FILE", description = OptionText.MCP_CONFIG)
    Path mcpConfigFile;

    // coding agent: --mode, --session, --continue, --workspace for the REPL and -q
    @CommandLine.Mixin
    CodingCliOptions coding;

    @Option(names = "--collection", paramLabel = "NAME", description = OptionText.COLLECTION)
    String collection;

    @Option(
            names = "--agent",
            paramLabel = "NAME",
            description = "Ask this declared agent (see 'miu agents list') instead of the coding agent: with -q once,"
                    + " else in the REPL (/agent switches).")
    String agent;

    @Option(names = "--agents", paramLabel = "DIR", description = OptionText.AGENTS)
    Path agentsDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The environment miu reads settings from; tests pass their own. */
    final Map<String, String> environment;

    public MiuCommand() {
        this(System.getenv());
    }

    public MiuCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The {@code --mcp-config} file given before a subcommand, or null. */
    public Path mcpConfigFile() {
        return mcpConfigFile;
    }

    @Override
    public Integer call() {
        if (query != null && query.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "The question given to -q is empty");
        }
        if (agent != null && query != null) {
            // the coding agent's options would do nothing: a declared agent has its own tools and workspace
            for (var option : spec.commandLine().getParseResult().matchedOptions()) {
                if (option.longestName().matches("--(collection|mode|session|continue|workspace)")) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(),
                            option.longestName() + " is an option of the coding agent and does nothing with --agent");
                }
            }
            return AgentQuery.run(
                    this,
                    agent,
                    query,
                    spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
        try (CliRuntime runtime = CliRuntime.open(
                environment,
                configFile,
                mcpConfigFile,
                collection,
                agentsDir,
                spec.commandLine().getErr())) {
            var options = runtime.withDeclaredAgents(runtime.withOutsideTools(coding.toOptions(model)), agent);
            if (query == null) {
                return Repl.run(runtime.config(), options);
            }
            return OneShot.run(
                    runtime.config(),
                    options,
                    query,
                    spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
    }
}
