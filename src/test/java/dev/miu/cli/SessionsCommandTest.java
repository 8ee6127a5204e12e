package dev.miu.cli;

import dev.miu.config.DatabaseSettings;
import dev.miu.core.message.Message;
import dev.miu.core.message.Usage;
import dev.miu.studio.session.FileSessionRepository;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionIds;
import dev.miu.studio.session.postgres.PostgresSessionRepository;
import dev.miu.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code miu sessions export --to postgres}: copies the file store's sessions, once, and says how many. */
@Timeout(120)
class SessionsCommandTest {

    @RegisterExtension
    static final PostgresServer DB = new PostgresServer();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private Run run(Map<String, String> env, String... args) {
        CommandLine cli = MiuCommandLine.create(env);
        var out = new StringWriter();
        var err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("MIU_DATA_DIR", dir.toString());
        env.put(
                "MIU_DATABASE_URL",
                DB.url().replace("jdbc:postgresql://", "postgresql://" + PostgresServer.USER + "@"));
        return env;
    }

    private Session stored(FileSessionRepository files, String name, Message... messages) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Session s = files.create(new Session(
                SessionIds.newId(), name, "openai:gpt-test", null, now, now, List.of(), Usage.ZERO, "assistant"));
        return files.update(s.id(), x -> x.append(List.of(messages), new Usage(5, 7)))
                .orElseThrow();
    }

    /** PostgreSQL keeps times to the microsecond. */
    private static Session micros(Session s) {
        return new Session(
                s.id(),
                s.name(),
                s.model(),
                s.systemPrompt(),
                s.createdAt().truncatedTo(ChronoUnit.MICROS),
                s.updatedAt().truncatedTo(ChronoUnit.MICROS),
                s.messages(),
                s.usage(),
                s.agent(),
                s.approvals());
    }

    @Test
    void copiesEverySessionOnceAndSaysHowMany() {
        var files = new FileSessionRepository(dir);
        Session a = stored(files, "First", Message.user("hi"), Message.assistant("hello"));
        Session b = stored(files, "Second", Message.user("one more"));
        files.shutdown();
        files.close();

        Run first = run(env(), "sessions", "export", "--to", "postgres");
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains("copied 2 sessions (3 messages)"), first.out());
        assertTrue(!first.out().contains("@"), "no credentials in what it prints: " + first.out());

        Run again = run(env(), "sessions", "export", "--to", "postgres");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("nothing new to copy: the database already has all 2 sessions"), again.out());

        files = new FileSessionRepository(dir);
        Session c = stored(files, "Third", Message.user("later"));
        files.shutdown();
        files.close();
        Run third = run(env(), "sessions", "export", "--to", "postgres");
        assertTrue(third.out().contains("copied 1 session (1 message); 2 were already in the database"), third.out());

        try (var db = PostgresSessionRepository.open(
                        new DatabaseSettings(DB.url(), PostgresServer.USER, null, 2, Duration.ofSeconds(5)))
                .database()) {
            var copy = new PostgresSessionRepository(db);
            for (Session s : List.of(a, b, c)) {
                assertEquals(micros(s), copy.find(s.id()).orElseThrow(), "the same session, at microseconds");
            }
        }
    }

    @Test
    void withoutADatabaseItSaysWhatToSet() {
        Map<String, String> env = env();
        env.remove("MIU_DATABASE_URL");
        Run r = run(env, "sessions", "export", "--to", "postgres");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("MIU_DATABASE_URL"), r.err());
    }
}
