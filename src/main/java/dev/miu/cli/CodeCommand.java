package dev.miu.cli;

import dev.miu.code.repl.Repl;
import dev.miu.config.MiuConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code miu code}: the coding REPL (also what {@code miu} with no arguments starts). */
@Command(name = "code", mixinStandardHelpOptions = true,
        description = "Chat with the coding agent in this folder: it reads, searches and edits files and runs commands.")
public final class CodeCommand implements Callable<Integer> {

    @ParentCommand
    MiuCommand parent;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-m", "--model"}, paramLabel = "PROVIDER:MODEL", description = "Model to use (default: as for miu).")
    String model;

    @Mixin
    CodingCliOptions coding;

    @Override
    public Integer call() {
        try (CliRuntime runtime = CliRuntime.open(parent, parent.configFile, parent.collection, spec.commandLine().getErr())) {
            return Repl.run(runtime.config(), runtime.withOutsideTools(coding.toOptions(model != null ? model : parent.model)));
        }
    }
}
