package dev.miu.cli;

import dev.miu.code.tui.Tui;
import dev.miu.config.MiuConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code miu tui}: the coding agent in a full-screen terminal UI. */
@Command(name = "tui", mixinStandardHelpOptions = true,
        description = "The coding agent in a full-screen terminal UI (Shift+Tab mode, Ctrl+N new session, Esc interrupt, Ctrl+C quit).")
public final class TuiCommand implements Callable<Integer> {

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
            return Tui.run(runtime.config(), runtime.withOutsideTools(coding.toOptions(model != null ? model : parent.model)));
        }
    }
}
