package dev.miu.cli;

import dev.miu.code.CodingOptions;
import dev.miu.code.Mode;
import dev.miu.core.ConfigurationException;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The coding agent's options, shared by {@code miu}, {@code miu -q}, {@code miu code} and {@code miu tui}. */
public final class CodingCliOptions {

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            description = "normal (ask before Write/Edit/Bash), plan (read-only), auto (no prompts). "
                    + "Default: normal; with -q, changes are refused unless --mode auto.")
    String mode;

    @Option(names = "--session", paramLabel = "ID", description = "Resume a saved session (see /sessions).")
    String session;

    @Option(
            names = {"-c", "--continue"},
            description = "Resume the latest session of this workspace.")
    boolean continueLast;

    @Option(
            names = {"-w", "--workspace"},
            paramLabel = "DIR",
            description = "Folder the agent works in (default: the current folder).")
    Path workspace;

    /**
     * These options, each one not given here taken from {@code before} (the same options given before the
     * subcommand, as in {@code miu --mode plan tui}): what is given after the subcommand wins.
     */
    CodingCliOptions orElse(CodingCliOptions before) {
        var merged = new CodingCliOptions();
        merged.mode = mode != null ? mode : before.mode;
        merged.session = session != null ? session : before.session;
        merged.continueLast = continueLast || before.continueLast;
        merged.workspace = workspace != null ? workspace : before.workspace;
        return merged;
    }

    CodingOptions toOptions(String model) {
        try {
            return new CodingOptions(
                    model, mode == null ? Mode.NORMAL : Mode.parse(mode), session, continueLast, workspace);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }
}
