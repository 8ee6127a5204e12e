package dev.miu.config;

import dev.miu.core.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sessions.store} and the {@code database} section: URLs in both forms, credentials, clear errors. */
class DatabaseSettingsTest {

    @TempDir
    Path dir;

    private MiuConfig load(String yaml, Map<String, String> env) throws Exception {
        Path file = dir.resolve("app.yaml");
        Files.writeString(file, yaml);
        Map<String, String> all = new HashMap<>(env);
        all.put("MIU_DATA_DIR", dir.toString());
        return MiuConfig.load(file, all);
    }

    @Test
    void theFileStoreIsTheDefaultAndNeedsNoDatabase() throws Exception {
        MiuConfig config = load("", Map.of());
        assertEquals(SessionSettings.Store.FILE, config.sessions().store());
        assertNull(config.database().url());
        assertEquals(10, config.database().poolSize());
    }

    @Test
    void aPostgresUrlBecomesAJdbcUrlWithTheCredentialsTakenOut() throws Exception {
        MiuConfig config = load(
                "sessions:\n  store: postgres\ndatabase:\n  pool-size: 4\n  connection-timeout: 2s\n",
                Map.of("MIU_DATABASE_URL", "postgresql://ann:p%40ss@db.example.com:5433/miu?sslmode=require"));
        DatabaseSettings db = config.database();
        assertEquals(SessionSettings.Store.POSTGRES, config.sessions().store());
        assertEquals("jdbc:postgresql://db.example.com:5433/miu?sslmode=require", db.url());
        assertEquals("ann", db.user());
        assertEquals("p@ss", db.password());
        assertEquals(4, db.poolSize());
        assertEquals(Duration.ofSeconds(2), db.connectionTimeout());
        assertFalse(db.toString().contains("p@ss"), db.toString());
        assertFalse(db.describe().contains("p@ss"), db.describe());
    }

    @Test
    void aJdbcUrlWorksAndTheEnvironmentsCredentialsWin() throws Exception {
        MiuConfig config = load(
                "database:\n  url: jdbc:postgresql://localhost/miu?user=old&password=old&ssl=false\n",
                Map.of(
                        "MIU_SESSIONS_STORE",
                        "postgres",
                        "MIU_DATABASE_USER",
                        "svc",
                        "MIU_DATABASE_PASSWORD",
                        "secret"));
        assertEquals(
                "jdbc:postgresql://localhost/miu?ssl=false", config.database().url());
        assertEquals("svc", config.database().user());
        assertEquals("secret", config.database().password());
    }

    @Test
    void badSettingsAreClearErrorsThatNeverShowThePassword() {
        var noUrl = assertThrows(ConfigurationException.class, () -> load("sessions:\n  store: postgres\n", Map.of()));
        assertTrue(noUrl.getMessage().contains("MIU_DATABASE_URL"), noUrl.getMessage());
        var store = assertThrows(ConfigurationException.class, () -> load("", Map.of("MIU_SESSIONS_STORE", "mysql")));
        assertTrue(store.getMessage().contains("must be file or postgres"), store.getMessage());
        var scheme = assertThrows(
                ConfigurationException.class,
                () -> load("", Map.of("MIU_DATABASE_URL", "mysql://root:hunter2@db/miu")));
        assertTrue(scheme.getMessage().contains("must start with postgresql://"), scheme.getMessage());
        assertFalse(scheme.getMessage().contains("hunter2"), scheme.getMessage());
        var noDb = assertThrows(
                ConfigurationException.class,
                () -> load("", Map.of("MIU_DATABASE_URL", "postgresql://u:hunter2@db.example.com")));
        assertTrue(noDb.getMessage().contains("must name a host and a database"), noDb.getMessage());
        assertFalse(noDb.getMessage().contains("hunter2"), noDb.getMessage());
        var pool = assertThrows(
                ConfigurationException.class,
                () -> load("database:\n  pool-size: 0\n", Map.of("MIU_DATABASE_URL", "postgresql://db/miu")));
        assertTrue(pool.getMessage().contains("database.pool-size"), pool.getMessage());
        var typo = assertThrows(ConfigurationException.class, () -> load("database:\n  ulr: x\n", Map.of()));
        assertTrue(typo.getMessage().contains("did you mean 'database.url'"), typo.getMessage());
    }
}
