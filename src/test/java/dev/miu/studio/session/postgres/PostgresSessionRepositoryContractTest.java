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

    @org.junit.jupiter.api.Test
    void aServerThatReadASessionSeesAnotherServersChangeAtOnce() {
        var s = store.create(new dev.miu.studio.session.Session(
                dev.miu.studio.session.SessionIds.newId(),
                "Shared",
                null,
                null,
                java.time.Instant.now(),
                java.time.Instant.now(),
                List.of()));
        SessionRepository other = reopen();
        opened.add(other);
        store.update(s.id(), x -> x.append(List.of(dev.miu.core.message.Message.user("first"))));
        org.junit.jupiter.api.Assertions.assertEquals(
                1, store.find(s.id()).orElseThrow().messages().size()); // this server holds it now
        other.update(s.id(), x -> x.append(List.of(dev.miu.core.message.Message.assistant("from the other"))));
        var seen = store.find(s.id()).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(2, seen.messages().size());
        org.junit.jupiter.api.Assertions.assertEquals(
                "from the other", seen.messages().get(1).text());
        store.update(s.id(), x -> x.withName("Renamed here"));
        org.junit.jupiter.api.Assertions.assertEquals(
                "Renamed here", other.find(s.id()).orElseThrow().name());
        other.delete(s.id());
        org.junit.jupiter.api.Assertions.assertTrue(store.find(s.id()).isEmpty());
    }

    @org.junit.jupiter.api.AfterEach
    void closeOthers() {
        opened.forEach(SessionRepository::close);
        opened.clear();
    }

    @Override
    protected SessionRepository reopen() {
        return PostgresSessionRepository.open(settings(DB.url()));
    }
}
