package dev.miu.studio.session.postgres;

import dev.miu.config.DatabaseSettings;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.session.SessionRepositoryContract;
import dev.miu.testing.PostgresServer;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The repository contract on a real PostgreSQL; a second instance is another server on the same database. */
class PostgresSessionRepositoryContractTest extends SessionRepositoryContract {

    @RegisterExtension
    static final PostgresServer DB = new PostgresServer();

    private final List<SessionRepository> opened = new ArrayList<>();

    static DatabaseSettings settings(String url) {
        return new DatabaseSettings(url, PostgresServer.USER, null, 4, Duration.ofSeconds(5));
    }

    @Override
    protected SessionRepository open() {
        var repository = PostgresSessionRepository.open(settings(DB.url()));
        // each test starts empty: the database is the class's
        repository.database().transaction(c -> {
            try (var st = c.createStatement()) {
                st.execute("TRUNCATE sessions CASCADE");
            }
            return null;
        });
        return repository;
    }

    @org.junit.jupiter.api.Test
    void aNulCharacterWhichPostgresCannotHoldIsStoredAsTheReplacementCharacter() {
        var s = store.create(new dev.miu.studio.session.Session(
                dev.miu.studio.session.SessionIds.newId(),
                "odd\0name",
                null,
                null,
                java.time.Instant.now(),
                java.time.Instant.now(),
                List.of()));
        store.update(
                s.id(),
                x -> x.append(List.of(
                        dev.miu.core.message.Message.user("a\0b"),
                        dev.miu.core.message.Message.assistant("the text \\u0000 stays as written"))));
        var found = store.find(s.id()).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals("odd\uFFFDname", found.name());
        org.junit.jupiter.api.Assertions.assertEquals(
                "a\uFFFDb", found.messages().get(0).text());
        org.junit.jupiter.api.Assertions.assertEquals(
                "the text \\u0000 stays as written", found.messages().get(1).text());
    }

    @Override
    protected SessionRepository reopen() {
        return PostgresSessionRepository.open(settings(DB.url()));
    }
}
