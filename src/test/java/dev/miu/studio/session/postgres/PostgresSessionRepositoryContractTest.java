package dev.miu.studio.session.postgres;

import dev.miu.config.DatabaseSettings;
import dev.miu.core.message.Message;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionIds;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.session.SessionRepositoryContract;
import dev.miu.testing.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                st.execute("TRUNCATE sessions, messages CASCADE");
            }
            return null;
        });
        return repository;
    }

    @Test
    void aNulCharacterWhichPostgresCannotHoldIsStoredAsTheReplacementCharacter() {
        var s = store.create(
                new Session(SessionIds.newId(), "odd\0name", null, null, Instant.now(), Instant.now(), List.of()));
        store.update(
                s.id(),
                x -> x.append(List.of(Message.user("a\0b"), Message.assistant("the text \\u0000 stays as written"))));
        var found = store.find(s.id()).orElseThrow();
        assertEquals("odd\uFFFDname", found.name());
        assertEquals("a\uFFFDb", found.messages().get(0).text());
        assertEquals(
                "the text \\u0000 stays as written", found.messages().get(1).text());
    }

    @Test
    void aServerThatReadASessionSeesAnotherServersChangeAtOnce() {
        var s = store.create(
                new Session(SessionIds.newId(), "Shared", null, null, Instant.now(), Instant.now(), List.of()));
        SessionRepository other = reopen();
        opened.add(other);
        store.update(s.id(), x -> x.append(List.of(Message.user("first"))));
        assertEquals(1, store.find(s.id()).orElseThrow().messages().size()); // this server holds it now
        other.update(s.id(), x -> x.append(List.of(Message.assistant("from the other"))));
        var seen = store.find(s.id()).orElseThrow();
        assertEquals(2, seen.messages().size());
        assertEquals("from the other", seen.messages().get(1).text());
        store.update(s.id(), x -> x.withName("Renamed here"));
        assertEquals("Renamed here", other.find(s.id()).orElseThrow().name());
        other.delete(s.id());
        assertTrue(store.find(s.id()).isEmpty());
    }

    @Test
    void aTurnsAppendOverACopyAnotherServerMadeStaleReadsTheSessionAgain() {
        var s = store.create(
                new Session(SessionIds.newId(), "Both", null, null, Instant.now(), Instant.now(), List.of()));
        SessionRepository other = reopen();
        opened.add(other);
        store.update(s.id(), x -> x.append(List.of(Message.user("one"))));
        store.find(s.id()); // this server holds the session at its current version
        other.update(s.id(), x -> x.append(List.of(Message.assistant("two, elsewhere"))));
        // this server's copy is one version behind: its one-statement append must not apply, the locked write must
        Session after = store.update(s.id(), x -> x.append(List.of(Message.user("three"), Message.assistant("four"))))
                .orElseThrow();
        List<String> texts = List.of("one", "two, elsewhere", "three", "four");
        assertEquals(texts, after.messages().stream().map(Message::text).toList());
        assertEquals(
                texts,
                other.find(s.id()).orElseThrow().messages().stream()
                        .map(Message::text)
                        .toList());
        // a NUL in an appended message: stored as the replacement character, and read back so
        store.update(s.id(), x -> x.append(List.of(Message.user("five\0"))));
        assertEquals(
                "five\uFFFD", store.find(s.id()).orElseThrow().messages().get(4).text());
    }

    @Test
    void aStagedMessageIsStoredWithTheNextUpdateAndOnlyThenSeenElsewhere() {
        var s = store.create(
                new Session(SessionIds.newId(), "Turn", null, null, Instant.now(), Instant.now(), List.of()));
        SessionRepository other = reopen();
        opened.add(other);
        store.stage(s.id(), x -> x.append(List.of(Message.user("question"))));
        assertEquals(1, store.find(s.id()).orElseThrow().messages().size());
        assertEquals(0, other.find(s.id()).orElseThrow().messages().size(), "staged on its server only");
        other.update(s.id(), x -> x.withName("Renamed meanwhile"));
        Session stored = store.update(s.id(), x -> x.append(List.of(Message.assistant("answer"))))
                .orElseThrow();
        assertEquals("Renamed meanwhile", stored.name());
        assertEquals(
                List.of("question", "answer"),
                other.find(s.id()).orElseThrow().messages().stream()
                        .map(Message::text)
                        .toList());

        store.stage(s.id(), x -> x.append(List.of(Message.user("left behind"))));
        store.flush(); // at shutdown: what a failed turn staged is stored
        assertEquals(3, other.find(s.id()).orElseThrow().messages().size());
    }

    @Test
    void aDeletedSessionLeavesNoMessageRowBehind() {
        var s = store.create(
                new Session(SessionIds.newId(), "Gone", null, null, Instant.now(), Instant.now(), List.of()));
        store.update(s.id(), x -> x.append(List.of(Message.user("q"), Message.assistant("a"))));
        store.update(s.id(), x -> x.withApprovals(pausedApprovals()));
        assertEquals(2, rows("messages", s.id()));
        assertTrue(store.delete(s.id()));
        assertEquals(0, rows("messages", s.id()), "messages have no foreign key: the delete removes them itself");
        assertEquals(0, rows("pending_approvals", s.id()));
        assertFalse(store.delete(s.id()));
    }

    private long rows(String table, String sessionId) {
        return ((PostgresSessionRepository) store).database().autocommit(c -> {
            try (var st = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE session_id = ?")) {
                st.setObject(1, java.util.UUID.fromString(sessionId));
                try (var rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @AfterEach
    void closeOthers() {
        opened.forEach(SessionRepository::close);
        opened.clear();
    }

    @Override
    protected SessionRepository reopen() {
        return PostgresSessionRepository.open(settings(DB.url()));
    }
}
