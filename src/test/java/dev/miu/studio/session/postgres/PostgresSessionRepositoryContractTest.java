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

    @Override
    protected SessionRepository reopen() {
        return PostgresSessionRepository.open(settings(DB.url()));
    }
}
