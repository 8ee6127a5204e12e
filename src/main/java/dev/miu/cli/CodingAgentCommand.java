package dev.miu.cli;

import dev.miu.code.CodingOptions;
import dev.miu.config.MiuConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * What {@code miu code} and {@code miu tui} share: the options (all of the root's but {@code -q}, given before or
 * after the subcommand), the runtime (config, tracing, MCP and RAG tools), and the coding options built from them.
 * Each names only the front end that runs the agent.
 */
abstract class CodingAgentCommand implements Callable<Integer> {

    @ParentCommand
    MiuCommand parent;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-m", "--model"},
            paramLabel = "PROVIDER:MODEL",
            description = "Model to use (default: as for miu).")
    String model;

    @Mixin
    CodingCliOptions coding;

    @Option(names = "--config", paramLabel = "FILE", description = OptionText.CONFIG)
    Path configFile;

    @Option(names = "--mcp-config", paramLabel = "FILE", description = OptionText.MCP_CONFIG)
    Path mcpConfigFile;

    @Option(names = "--collection", paramLabel = "NAME", description = OptionText.COLLECTION)
    String collection;

    @Option(
            names = "--agent",
            paramLabel = "NAME",
            description = "Start with this declared agent instead of the coding agent (/agent switches).")
    String agent;

    @Option(names = "--agents", paramLabel = "DIR", description = OptionText.AGENTS)
    Path agentsDir;

    /** Runs the front end until the user leaves; returns the exit code. */
    abstract int run(MiuConfig config, CodingOptions options);

    @Override
    public Integer call() {
        // each option given after the subcommand wins over the same option given before it
        try (CliRuntime runtime = CliRuntime.open(
                parent.environment,
                orElse(configFile, parent.configFile),
                orElse(mcpConfigFile, parent.mcpConfigFile),
                orElse(collection, parent.collection),
                orElse(agentsDir, parent.agentsDir),
                spec.commandLine().getErr())) {
            CodingOptions options = coding.orElse(parent.coding).toOptions(orElse(model, parent.model));
            return run(
                    runtime.config(),
                    runtime.withDeclaredAgents(runtime.withOutsideTools(options), orElse(agent, parent.agent)));
        }
    }

    private static <T> T orElse(T given, T before) {
        return given != null ? given : before;
    }
}
