package dev.miu.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real, throw-away PostgreSQL for tests: one cluster per test JVM ({@code initdb} + {@code pg_ctl} from Debian's
 * {@code /usr/lib/postgresql/VERSION/bin}) in a temporary directory on a free port, stopped and deleted when the JVM
 * exits; and, registered as an extension ({@code @RegisterExtension static final PostgresServer DB = new
 * PostgresServer();}), one fresh database per test class, dropped after it. PostgreSQL refuses to run as root, so
 * under root the cluster runs as the {@code postgres} user (through {@code runuser}) in a directory it owns.
 * Missing PostgreSQL skips the test, and fails it under {@code CI=true} ({@link Prerequisites}).
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {

    /** The superuser the cluster is made with; it logs in without a password (trust) on 127.0.0.1 only. */
    public static final String USER = PostgresCluster.USER;

    private static PostgresCluster cluster;

    private String database;

    /** The JDBC URL of this test class's database (set before its tests run). */
    public String url() {
        if (database == null) {
            throw new IllegalStateException("the test class's database is not created yet");
        }
        return cluster.url(database);
    }

    /** The running cluster, started on first use. */
    public static synchronized PostgresCluster cluster() {
        if (cluster == null) {
            cluster = newCluster();
        }
        return cluster;
    }

    /** A cluster of its own (a test that stops and starts it); missing PostgreSQL skips, or fails under CI. */
    public static PostgresCluster newCluster() {
        Prerequisites.require(PostgresCluster.binaries().isPresent(), PostgresCluster.NOT_INSTALLED);
        return PostgresCluster.start();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database = cluster().createDatabase();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (database != null) {
            cluster().dropDatabase(database);
            database = null;
        }
    }
}
