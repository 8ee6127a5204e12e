package dev.miu.config;

import dev.miu.core.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading app.yaml: a YAML file, the built-in defaults, other file types, and what bad files say. */
class MiuConfigTest {

    @TempDir
    Path dir;

    @Test
    void readsAYamlFileWithTheEnvironmentOnTop() throws Exception {
        Path yaml = dir.resolve("app.yml");
        Files.writeString(yaml, """
                agent:
                  model: openai:gpt-4.1-mini
                  max-tokens: 123
                  temperature: 0.5
                server:
                  port: 9001
                  cors-origins: ["http://a.example", "http://b.example"]
                studio:
                  tools: [current_time]
                data-dir: %s
                """.formatted(dir.resolve("data")));
        MiuConfig config = MiuConfig.load(yaml, Map.of("MIU_PORT", "9002"));

        assertEquals(yaml.toAbsolutePath().toString(), config.source());
        assertEquals("openai:gpt-4.1-mini", config.agent().model());
        assertEquals(123, config.agent().maxTokens());
        assertEquals(0.5, config.agent().temperature());
        assertEquals(10, config.agent().maxIterations()); // not in the file: the default
        assertEquals(9002, config.server().port());
        assertEquals(
                List.of("http://a.example", "http://b.example"), config.server().corsOrigins());
        assertEquals(dir.resolve("data"), config.dataDir());
        assertEquals(List.of("current_time"), config.studio().tools());
    }

    @Test
    void builtInDefaultsAreTheRepositorysAppYaml() throws Exception {
        // the jar's app.yaml is the repository's top-level one (copied as a resource)
        MiuConfig fromFile = MiuConfig.load(Path.of("app.yaml"), Map.of());
        MiuConfig builtIn = MiuConfig.load(null, Map.of("MIU_DATA_DIR", dir.toString()));
        assertTrue(Files.isRegularFile(Path.of("app.yaml")));
        assertEquals(fromFile.agent(), builtIn.agent());
        assertEquals(fromFile.server(), builtIn.server());
        assertEquals(fromFile.sessions(), builtIn.sessions());
        assertEquals(
                new SessionSettings(SessionSettings.Sync.INTERVAL, java.time.Duration.ofSeconds(1)),
                builtIn.sessions(),
                "writes flushed every second unless asked for each on disk");
        assertEquals(4096, builtIn.agent().maxTokens());
        assertEquals("miu", builtIn.tracing().serviceName());
        assertEquals(
                MiuConfig.load(Path.of("app.yaml"), Map.of("MIU_DATA_DIR", dir.toString()))
                        .rag(),
                builtIn.rag());
    }

    @Test
    void aPropertiesFileIsStillReadByItsType() throws Exception {
        Path properties = dir.resolve("miu.properties");
        Files.writeString(properties, "agent.max-tokens=77\nserver.port=9100\n");
        MiuConfig config = MiuConfig.load(properties, Map.of());
        assertEquals(77, config.agent().maxTokens());
        assertEquals(9100, config.server().port());
    }

    @Test
    void badFilesNameThemselves() throws Exception {
        Path missing = dir.resolve("nope.yaml");
        var e = assertThrows(ConfigurationException.class, () -> MiuConfig.load(missing, Map.of()));
        assertTrue(e.getMessage().contains("nope.yaml"), e.getMessage());

        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "agent:\n  model: [unclosed\n");
        e = assertThrows(ConfigurationException.class, () -> MiuConfig.load(broken, Map.of()));
        assertTrue(e.getMessage().contains("broken.yaml"), e.getMessage());

        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
        e = assertThrows(ConfigurationException.class, () -> MiuConfig.load(latin1, Map.of()));
        assertTrue(e.getMessage().contains("latin1.yaml") && e.getMessage().contains("UTF-8"), e.getMessage());

        Path badValue = dir.resolve("bad-value.yaml");
        Files.writeString(badValue, "agent:\n  max-tokens: lots\n");
        e = assertThrows(ConfigurationException.class, () -> MiuConfig.load(badValue, Map.of()));
        assertTrue(e.getMessage().contains("bad-value.yaml"), e.getMessage());
    }

    @Test
    void sessionSyncComesFromTheFileOrTheEnvironmentAndBadValuesAreNamed() throws Exception {
        Path yaml = dir.resolve("app.yaml");
        Files.writeString(yaml, "sessions:\n  sync: interval\n  sync-interval-ms: 250\n");
        SessionSettings fromFile = MiuConfig.load(yaml, Map.of()).sessions();
        assertEquals(SessionSettings.Sync.INTERVAL, fromFile.sync());
        assertEquals(java.time.Duration.ofMillis(250), fromFile.syncInterval());
        assertEquals(
                SessionSettings.Sync.ALWAYS,
                MiuConfig.load(yaml, Map.of("MIU_SESSIONS_SYNC", "Always"))
                        .sessions()
                        .sync());

        var e = assertThrows(
                ConfigurationException.class, () -> MiuConfig.load(yaml, Map.of("MIU_SESSIONS_SYNC", "never")));
        assertTrue(
                e.getMessage().contains("always or interval") && e.getMessage().contains("never"), e.getMessage());
        Files.writeString(yaml, "sessions:\n  sync: interval\n  sync-interval-ms: 0\n");
        e = assertThrows(ConfigurationException.class, () -> MiuConfig.load(yaml, Map.of()));
        assertTrue(e.getMessage().contains("sessions.sync-interval-ms"), e.getMessage());
    }

    @Test
    void theBodyLimitMustBePositiveAndBounded() throws Exception {
        Path yaml = dir.resolve("app.yaml");
        for (String limit : List.of("0", "-5", String.valueOf(ServerSettings.MAX_BODY_LIMIT + 1))) {
            Files.writeString(yaml, "server:\n  max-body-bytes: " + limit + "\n");
            var e = assertThrows(ConfigurationException.class, () -> MiuConfig.load(yaml, Map.of()));
            assertTrue(
                    e.getMessage().contains("server.max-body-bytes")
                            && e.getMessage().contains(limit),
                    e.getMessage());
        }
        Files.writeString(yaml, "server:\n  max-body-bytes: 4096\n");
        assertEquals(4096, MiuConfig.load(yaml, Map.of()).server().maxBodyBytes());
    }
}
