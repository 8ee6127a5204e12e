package dev.miu.cli;

import dev.miu.config.MiuConfig;
import dev.miu.core.ConfigurationException;
import dev.miu.studio.session.FileSessionRepository;
import dev.miu.studio.session.postgres.PostgresSessionRepository;
import dev.miu.studio.session.postgres.SessionExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code miu sessions export --to postgres}: moves the file store's sessions into the database. */
@Command(
        name = "sessions",
        mixinStandardHelpOptions = true,
        description = "Move the studio's sessions between stores.",
        subcommands = {SessionsCommand.Export.class})
public final class SessionsCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    MiuCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** Where sessions can be exported to. */
    enum Target {
        postgres
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Copy every session of the file store (MIU_DATA_DIR) into the database of database.url "
                    + "(MIU_DATABASE_URL). Sessions the database has already are left alone, so running it again "
                    + "copies only what is new. Stop 'miu serve' on that data directory first.")
    static final class Export implements Callable<Integer> {
        @CommandLine.ParentCommand
        SessionsCommand sessions;

        @Option(names = "--to", required = true, paramLabel = "STORE", description = "Where to: postgres.")
        Target to;

        @Option(names = "--config", paramLabel = "FILE", description = OptionText.CONFIG)
        Path configFile;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            MiuCommand root = sessions.parent;
            MiuConfig config = MiuConfig.load(configFile != null ? configFile : root.configFile, root.environment);
            if (config.database().url() == null) {
                throw new ConfigurationException(
                        "No database to export to: set MIU_DATABASE_URL (or database.url), e.g. "
                                + "postgresql://localhost:5432/miu");
            }
            PrintWriter out = spec.commandLine().getOut();
            // the file store first: it refuses a data directory a running server holds, before the database is touched
            var files = new FileSessionRepository(config.dataDir(), config.sessions());
            try (var database =
                    PostgresSessionRepository.open(config.database()).database()) {
                var counts = SessionExport.copy(files, new PostgresSessionRepository(database));
                out.println("sessions from " + files.describe() + " to PostgreSQL "
                        + config.database().describe() + ": " + counts.describe());
            } finally {
                files.shutdown();
                files.close();
            }
            out.flush();
            return 0;
        }
    }
}
