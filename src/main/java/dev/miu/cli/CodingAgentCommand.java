package dev.miu.cli;

import dev.miu.code.CodingOptions;
import dev.miu.config.MiuConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/**
 * What {@code miu code} and {@code miu tui} share: the options, the runtime (config, tracing, MCP and RAG tools),
 * and the coding options built from them. Each names only the front end that runs the agent.
 */
abstract class CodingAgentCommand implements Callable<Integer> {

    @ParentCommand
    MiuCommand parent;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-m", "--model"}, paramLabel = "PROVIDER:MODEL", description = "Model to use (default: as for miu).")
    String model;

    @Mixin
    CodingCliOptions coding;

    /** Runs the front end until the user leaves; returns the exit code. */
    abstract int run(MiuConfig config, CodingOptions options);

    @Override
    public Integer call() {
        try (CliRuntime runtime = CliRuntime.open(parent, parent.configFile, parent.collection, spec.commandLine().getErr())) {
            return run(runtime.config(), runtime.withOutsideTools(coding.toOptions(model != null ? model : parent.model)));
        }
    }
}
