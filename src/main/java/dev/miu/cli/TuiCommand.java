package dev.miu.cli;

import dev.miu.code.CodingOptions;
import dev.miu.code.tui.Tui;
import dev.miu.config.MiuConfig;
import picocli.CommandLine.Command;

/** {@code miu tui}: the coding agent in a full-screen terminal UI. */
@Command(
        name = "tui",
        mixinStandardHelpOptions = true,
        description =
                "The coding agent in a full-screen terminal UI (Shift+Tab mode, Ctrl+N new session, Esc interrupt, Ctrl+C quit).")
public final class TuiCommand extends CodingAgentCommand {

    @Override
    int run(MiuConfig config, CodingOptions options) {
        return Tui.run(config, options);
    }
}
