package dev.miu.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.util.Map;

/**
 * miu's picocli command line. Not on {@link Main}: the JVM's launcher (for {@code java -cp ... dev.miu.cli.Main}) looks
 * up {@code main} by reflection, which loads every type in the signatures of {@code Main}'s methods, and
 * {@code serve} never needs picocli.
 */
public final class MiuCommandLine {

    private MiuCommandLine() {}

    /** The command line reading settings from the process's environment. */
    public static CommandLine create() {
        return create(System.getenv());
    }

    /** The command line reading settings from {@code environment} instead of the process's. */
    public static CommandLine create(Map<String, String> environment) {
        CommandLine cli = new CommandLine(new MiuCommand(environment));
        cli.setExecutionExceptionHandler(new ErrorHandler());
        // `miu serve --agents agents`: a directory may share its name with a subcommand
        cli.setAllowSubcommandsAsOptionParameters(true);
        cli.setExecutionStrategy(MiuCommandLine::execute);
        return cli;
    }

    /** Runs the last subcommand, as picocli does, once the options given before it are known to apply to it. */
    private static int execute(ParseResult root) {
        checkRootOptionsApply(root);
        return new CommandLine.RunLast().execute(root);
    }

    /**
     * An option given before a subcommand is miu's own; it applies to the subcommand only if the subcommand has the
     * same option ({@code miu --config F serve}). Otherwise it would do nothing ({@code miu --workspace D serve}),
     * so it is a usage error (exit 2) that names the option and the command.
     */
    static void checkRootOptionsApply(ParseResult root) {
        ParseResult leaf = root;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        if (leaf == root || root.isUsageHelpRequested() || root.isVersionHelpRequested()) {
            return;
        }
        CommandSpec sub = leaf.commandSpec();
        for (OptionSpec given : root.matchedOptions()) {
            if (!given.usageHelp() && !given.versionHelp() && sub.findOption(given.longestName()) == null) {
                throw new CommandLine.ParameterException(
                        sub.commandLine(),
                        given.longestName()
                                + " (given before '" + sub.name() + "') is not an option of '" + sub.qualifiedName()
                                + "' and would do nothing there; see '" + sub.qualifiedName()
                                + " --help' for its options");
            }
        }
    }
}
