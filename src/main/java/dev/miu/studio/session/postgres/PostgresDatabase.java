package dev.miu.studio.session.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.miu.config.DatabaseSettings;
import dev.miu.core.ConfigurationException;
import dev.miu.studio.session.SessionStoreUnavailableException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The studio's PostgreSQL: a HikariCP pool over the official driver, the schema migrated by Flyway at start-up
 * ({@code src/main/resources/db/migration}), and transactions that retry serialization failures and deadlocks. One
 * instance per server; what else shares the database (leases, cancel notifications) takes its connections from
 * {@link #dataSource()}.
 */
public final class PostgresDatabase implements AutoCloseable {

    /**
     * The pool's and the migrations' INFO lines (pool started, schema validated) would interleave with miu's own
     * start-up lines; their warnings and errors still show. Kept here so the levels are not garbage-collected.
     */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("com.zaxxer.hikari"),
            java.util.logging.Logger.getLogger("org.flywaydb"));

    /** Attempts of a transaction that fails with a serialization failure or deadlock before the error is shown. */
    static final int ATTEMPTS = 5;

    private final HikariDataSource pool;
    private final String describe;

    private PostgresDatabase(HikariDataSource pool, String describe) {
        this.pool = pool;
        this.describe = describe;
    }

    /**
     * Connects, then brings the schema up to this version's. A database whose schema is newer than this code (a
     * newer miu migrated it) is refused: this version would misread it.
     *
     * @throws ConfigurationException when the database cannot be reached or its schema is newer
     */
    public static PostgresDatabase open(DatabaseSettings settings) {
        Objects.requireNonNull(settings.url(), "database.url");
        if (System.getProperty("java.util.logging.config.file") == null) {
            QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        }
        var config = new HikariConfig();
        config.setPoolName("miu-sessions");
        config.setJdbcUrl(settings.url());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.poolSize());
        // a fixed-size pool, as HikariCP advises: no connections opened while a burst of turns waits for them
        config.setMinimumIdle(settings.poolSize());
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setValidationTimeout(Math.min(settings.connectionTimeout().toMillis(), 5_000));
        config.setAutoCommit(false);
        // a dead server is noticed within seconds, not at the OS's TCP timeout
        config.addDataSourceProperty(
                "connectTimeout", Math.max(1, settings.connectionTimeout().toSeconds()));
        config.addDataSourceProperty("socketTimeout", 60);
        config.addDataSourceProperty("tcpKeepAlive", true);
        config.addDataSourceProperty("ApplicationName", "miu");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw new ConfigurationException("Cannot connect to the session database " + settings.describe() + ": "
                    + rootMessage(e) + " (check MIU_DATABASE_URL, MIU_DATABASE_USER, MIU_DATABASE_PASSWORD)");
        }
        try {
            migrate(pool, settings);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new PostgresDatabase(pool, settings.describe());
    }

    private static void migrate(HikariDataSource pool, DatabaseSettings settings) {
        Flyway flyway = Flyway.configure(PostgresDatabase.class.getClassLoader())
                .dataSource(pool)
                .locations("classpath:db/migration")
                .table("miu_schema_history")
                .baselineOnMigrate(false)
                .load();
        try {
            // applied by a newer miu, unknown here (Flyway would ignore them: its default ignores "*:future")
            MigrationInfo[] future = Arrays.stream(flyway.info().all())
                    .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS
                            || m.getState() == MigrationState.FUTURE_FAILED)
                    .toArray(MigrationInfo[]::new);
            if (future.length > 0) {
                String newest = Arrays.stream(future)
                        .map(m -> m.getVersion().getVersion())
                        .reduce((a, b) -> b)
                        .orElse("?");
                MigrationInfo known = Arrays.stream(flyway.info().all())
                        .filter(m -> m.getState() != MigrationState.FUTURE_SUCCESS
                                && m.getState() != MigrationState.FUTURE_FAILED)
                        .reduce((a, b) -> b)
                        .orElse(null);
                throw new ConfigurationException(
                        "The session database " + settings.describe() + " has schema version "
                                + newest + ", newer than this miu knows ("
                                + (known == null ? "none" : known.getVersion().getVersion() + " and below")
                                + "): a newer miu has used it. Run that version, or point MIU_DATABASE_URL at another database.");
            }
            flyway.migrate();
        } catch (FlywayException e) {
            throw new ConfigurationException(
                    "Cannot prepare the session database " + settings.describe() + ": " + e.getMessage());
        }
    }

    /** The pool, for what else keeps state in this database (leases, notifications). */
    public HikariDataSource dataSource() {
        return pool;
    }

    /** Work done in one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in a transaction and commits it; a serialization failure or deadlock runs it again (up to
     * {@link #ATTEMPTS} times), so callers never see one. A database that cannot be reached is a
     * {@link SessionStoreUnavailableException}; any other SQL error an {@link IllegalStateException}.
     */
    public <T> T transaction(Work<T> work) {
        return run(work, false);
    }

    /**
     * Runs {@code work} with each of its statements committed on its own, as {@link #transaction} retries and
     * translates: for reads that need no snapshot and for single-statement writes. It saves the {@code COMMIT}
     * round trip, and round trips are what a turn on PostgreSQL mostly costs (see BENCHMARKS.md).
     */
    public <T> T autocommit(Work<T> work) {
        return run(work, true);
    }

    private <T> T run(Work<T> work, boolean autocommit) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                if (autocommit) {
                    c.setAutoCommit(true); // the pool sets it back when the connection returns (no round trip)
                }
                try {
                    T result = work.run(c);
                    if (!autocommit) {
                        c.commit();
                    }
                    return result;
                } catch (SQLException | RuntimeException e) {
                    if (!autocommit) {
                        rollbackQuietly(c);
                    }
                    throw e;
                }
            } catch (SQLException e) {
                if (isRetryable(e) && attempt < ATTEMPTS) {
                    // a short random pause lets the transaction that won go first
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000_000L, 5_000_000L * attempt));
                    continue;
                }
                throw translate(e);
            }
        }
    }

    /** Whether a connection can be had and answers now, for {@code /ready}. */
    public boolean isReady() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    public String describe() {
        return describe;
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Serialization failure (40001) or deadlock (40P01): the same work succeeds when run again. */
    static boolean isRetryable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && ("40001".equals(s.getSQLState()) || "40P01".equals(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Lost or refused connections (SQLState class 08, 57P0x shutdowns, the pool's timeout) mean: not available. The
     * pool's timeout with no connection failure behind it means every connection is busy, which is said as such.
     */
    static RuntimeException translate(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTransientConnectionException && e.getCause() == null) {
            return new SessionStoreUnavailableException(
                    "Every session database connection stayed busy (database.pool-size); try again shortly", e);
        }
        if (e instanceof SQLTransientConnectionException || state.startsWith("08") || state.startsWith("57P0")) {
            return new SessionStoreUnavailableException(
                    "The session database cannot be reached right now; try again shortly", e);
        }
        return new IllegalStateException("Session database error: " + e.getMessage(), e);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the pool discards it
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
