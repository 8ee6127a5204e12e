package dev.miu.studio.session.postgres;

import dev.miu.config.DatabaseSettings;
import dev.miu.core.ConfigurationException;
import dev.miu.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The database's start-up and transactions: migrations, a newer schema refused, retried conflicts. */
@Timeout(120)
class PostgresDatabaseTest {

    @RegisterExtension
    static final PostgresServer DB = new PostgresServer();

    private static DatabaseSettings settings(String url) {
        return new DatabaseSettings(url, PostgresServer.USER, null, 2, Duration.ofSeconds(5));
    }

    @Test
    void migratesOnceThenRefusesASchemaNewerThanTheCode() throws Exception {
        String url = PostgresServer.cluster().url(PostgresServer.cluster().createDatabase());
        try (var db = PostgresDatabase.open(settings(url))) {
            assertEquals("4", db.transaction(c -> {
                try (var rs =
                        c.createStatement().executeQuery("SELECT max(version) FROM miu_schema_history WHERE success")) {
                    rs.next();
                    return rs.getString(1);
                }
            }));
        }
        PostgresDatabase.open(settings(url)).close(); // a second start finds nothing to do
        try (var db = PostgresDatabase.open(settings(url))) {
            db.transaction(c -> {
                try (var st = c.createStatement()) {
                    st.execute("INSERT INTO miu_schema_history (installed_rank, version, description, type, script,"
                            + " checksum, installed_by, execution_time, success) VALUES (99, '99', 'from the future',"
                            + " 'SQL', 'V99__future.sql', 0, 'miu', 1, true)");
                }
                return null;
            });
        }
        var e = assertThrows(ConfigurationException.class, () -> PostgresDatabase.open(settings(url)));
        assertTrue(e.getMessage().contains("schema version 99, newer than this miu knows"), e.getMessage());
    }

    @Test
    void serializationFailuresAndDeadlocksAreRetriedOtherErrorsAreNot() {
        try (var db = PostgresDatabase.open(settings(DB.url()))) {
            AtomicInteger calls = new AtomicInteger();
            String result = db.transaction(c -> {
                int n = calls.incrementAndGet();
                if (n == 1) {
                    throw new SQLException("could not serialize access", "40001");
                }
                if (n == 2) {
                    throw new SQLException("deadlock detected", "40P01");
                }
                return "done";
            });
            assertEquals("done", result);
            assertEquals(3, calls.get());

            AtomicInteger always = new AtomicInteger();
            assertThrows(
                    IllegalStateException.class,
                    () -> db.transaction(c -> {
                        always.incrementAndGet();
                        throw new SQLException("could not serialize access", "40001");
                    }));
            assertEquals(PostgresDatabase.ATTEMPTS, always.get(), "a bounded number of attempts");

            AtomicInteger once = new AtomicInteger();
            assertThrows(
                    IllegalStateException.class,
                    () -> db.transaction(c -> {
                        once.incrementAndGet();
                        throw new SQLException("syntax error", "42601");
                    }));
            assertEquals(1, once.get());
        }
    }

    @Test
    void anUnreachableDatabaseAtStartIsAClearErrorWithoutThePassword() {
        var unreachable = new DatabaseSettings(
                "jdbc:postgresql://127.0.0.1:1/miu", "someone", "s3cret-pw", 2, Duration.ofMillis(500));
        var e = assertThrows(ConfigurationException.class, () -> PostgresDatabase.open(unreachable));
        assertTrue(e.getMessage().startsWith("Cannot connect to the session database"), e.getMessage());
        assertTrue(!e.getMessage().contains("s3cret-pw"), e.getMessage());
    }
}
