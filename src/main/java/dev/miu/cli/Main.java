package dev.miu.cli;

/** Entry point of {@code miu} and {@code java -jar miu.jar}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        ConsoleLogging.useUnlessConfigured(); // one line per log record, before anything logs
        ServeCommand serve = ServeFastPath.parse(args, System.getenv());
        if (serve != null) {
            return ServeFastPath.run(serve); // the server's start-up without picocli's cost
        }
        return MiuCommandLine.create().execute(args);
    }
}
