package dev.miu.cli;

import dev.miu.code.CodingOptions;
import dev.miu.code.repl.Repl;
import dev.miu.config.MiuConfig;
import picocli.CommandLine.Command;

/** {@code miu code}: the coding REPL (also what {@code miu} with no arguments starts). */
@Command(
        name = "code",
        mixinStandardHelpOptions = true,
        description =
                "Chat with the coding agent in this folder: it reads, searches and edits files and runs commands.")
public final class CodeCommand extends CodingAgentCommand {

    @Override
    int run(MiuConfig config, CodingOptions options) {
        return Repl.run(config, options);
    }
}
