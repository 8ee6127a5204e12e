package dev.miu.studio;

import dev.miu.cli.RegistryLookupProbe;
import io.helidon.common.types.TypeName;
import io.helidon.service.registry.ServiceRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The studio's registry answers every lookup the web server makes as Helidon's discovery would. The lookups are
 * recorded in a fresh {@code serve} process (Helidon's static set-up runs once per JVM, so this test's JVM, where
 * other tests started servers, would miss them).
 */
@Timeout(120)
class StudioRegistryTest {

    @Test
    void answersEveryLookupOfAServingProcessAsDiscoveryWould() throws Exception {
        List<String> lookups = RegistryLookupProbe.runInItsOwnJvm();
        assertTrue(
                lookups.stream().anyMatch(l -> l.contains("io.helidon.common.mapper.spi.MapperProvider")),
                "the probe recorded the server's lookups: " + lookups);
        List<String> differing =
                lookups.stream().filter(l -> l.startsWith("LOOKUP DIFFERS")).toList();
        assertTrue(differing.isEmpty(), "after a Helidon upgrade, update StudioRegistry.descriptors(): " + differing);
    }

    @Test
    void answersTheMapperLookups() {
        ServiceRegistry studio = StudioRegistry.create();
        assertFalse(studio.all(TypeName.create("io.helidon.common.mapper.spi.MapperProvider"))
                .isEmpty());
        assertTrue(studio.first(io.helidon.common.mapper.Mappers.class).isPresent());
    }
}
