package dev.miu.cli;

import picocli.CommandLine;

/** Entry point of {@code miu} and {@code java -jar miu.jar}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new MiuCommand());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        return cli;
    }
}
