package dev.miu.config;

import dev.miu.core.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code agent.turn-timeout} and {@code server.stream-write-timeout}: read as durations, with their defaults. */
class TurnTimeoutsConfigTest {

    @TempDir
    Path dir;

    @Test
    void durationsReadTheUnitsAppYamlUses() {
        assertEquals(Duration.ofMillis(500), Durations.parse("k", "500ms"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("k", " 90s "));
        assertEquals(Duration.ofMinutes(10), Durations.parse("k", "10m"));
        assertEquals(Duration.ofHours(1), Durations.parse("k", "1H"));
        assertEquals("10m", Durations.format(Duration.ofMinutes(10)));
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        for (String bad : new String[] {"10", "ten minutes", "-5s", "0s", "1.5m", "5d"}) {
            var e = assertThrows(ConfigurationException.class, () -> Durations.parse("agent.turn-timeout", bad), bad);
            assertTrue(e.getMessage().startsWith("agent.turn-timeout must be"), e.getMessage());
        }
    }

    @Test
    void defaultsAreTenMinutesPerTurnAndThirtySecondsPerStreamWrite() {
        MiuConfig config = MiuConfig.load(null, Map.of("MIU_DATA_DIR", dir.toString()));
        assertEquals(Duration.ofMinutes(10), config.agent().turnTimeout());
        assertEquals(Duration.ofSeconds(30), config.server().streamWriteTimeout());
        MiuConfig repository = MiuConfig.load(Path.of("app.yaml"), Map.of("MIU_DATA_DIR", dir.toString()));
        assertEquals(Duration.ofMinutes(10), repository.agent().turnTimeout());
        assertEquals(Duration.ofSeconds(30), repository.server().streamWriteTimeout());
    }

    @Test
    void appYamlSetsThem() throws Exception {
        Path yaml = dir.resolve("app.yaml");
        Files.writeString(yaml, """
                agent:
                  turn-timeout: 90s
                server:
                  stream-write-timeout: 500ms
                """);
        MiuConfig config = MiuConfig.load(yaml, Map.of("MIU_DATA_DIR", dir.toString()));
        assertEquals(Duration.ofSeconds(90), config.agent().turnTimeout());
        assertEquals(Duration.ofMillis(500), config.server().streamWriteTimeout());

        Files.writeString(yaml, "agent:\n  turn-timeout: forever\n");
        var e = assertThrows(ConfigurationException.class, () -> MiuConfig.load(yaml, Map.of()));
        assertTrue(e.getMessage().contains("agent.turn-timeout must be a duration"), e.getMessage());
    }
}
