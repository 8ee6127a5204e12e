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
        ServeCommand serve = ServeFastPath.parse(args, System.getenv());
        if (serve != null) {
            return ServeFastPath.run(serve); // the server's start-up without picocli's cost
        }
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /** The command line reading settings from {@code environment} instead of the process's. */
    public static CommandLine commandLine(java.util.Map<String, String> environment) {
        CommandLine cli = new CommandLine(new MiuCommand(environment));
        cli.setExecutionExceptionHandler(new ErrorHandler());
        return cli;
    }
}
