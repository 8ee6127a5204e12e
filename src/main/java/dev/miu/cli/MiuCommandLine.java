package dev.miu.cli;

import picocli.CommandLine;

import java.util.Map;

/**
 * miu's picocli command line. Not on {@link Main}: the launcher looks up {@code main} by reflection, which loads
 * every type in the signatures of {@code Main}'s methods, and {@code serve} never needs picocli.
 */
public final class MiuCommandLine {

    private MiuCommandLine() {
    }

    /** The command line reading settings from the process's environment. */
    public static CommandLine create() {
        return create(System.getenv());
    }

    /** The command line reading settings from {@code environment} instead of the process's. */
    public static CommandLine create(Map<String, String> environment) {
        CommandLine cli = new CommandLine(new MiuCommand(environment));
        cli.setExecutionExceptionHandler(new ErrorHandler());
        return cli;
    }
}
