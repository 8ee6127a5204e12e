package dev.miu.studio;

import io.helidon.common.types.ResolvedType;
import io.helidon.common.types.TypeName;
import io.helidon.service.registry.Lookup;
import io.helidon.service.registry.ServiceInfo;
import io.helidon.service.registry.ServiceRegistry;
import io.helidon.service.registry.ServiceRegistryConfig;
import io.helidon.service.registry.ServiceRegistryManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The studio's registry holds what Helidon's discovery would find on miu's classpath, without discovering it. */
@Timeout(60)
class StudioRegistryTest {

    /** Services of test-scope dependencies (helidon-webserver-testing-junit5 brings the web client), not in miu. */
    private static final String TEST_ONLY = "io.helidon.webclient.";

    @Test
    void holdsExactlyTheServicesTheJarsMetadataLists() {
        ServiceRegistryManager discovered = ServiceRegistryManager.create(ServiceRegistryConfig.builder()
                .discoverServicesFromServiceLoader(false).build());
        try {
            Set<String> expected = descriptorTypes(discovered.registry());
            expected.removeIf(type -> type.startsWith(TEST_ONLY));
            Set<String> explicit = descriptorTypes(StudioRegistry.create());
            assertFalse(expected.isEmpty());
            assertEquals(expected, explicit, "after a Helidon upgrade, update StudioRegistry.descriptors()");
        } finally {
            discovered.shutdown();
        }
    }

    @Test
    void leavesOutOnlyServiceLoaderProvidersOfConfigParsersFiltersAndMappers() {
        ServiceRegistryManager discovered = ServiceRegistryManager.create();
        try {
            ServiceRegistry explicit = StudioRegistry.create();
            Set<String> explicitTypes = descriptorTypes(explicit);
            Set<String> allowed = Set.of("io.helidon.config.spi.ConfigParser", "io.helidon.config.spi.ConfigFilter",
                    "io.helidon.common.mapper.spi.MapperProvider");
            Set<String> extraContracts = new TreeSet<>();
            for (ServiceInfo info : discovered.registry().lookupServices(Lookup.EMPTY)) {
                String type = info.descriptorType().fqName();
                if (!explicitTypes.contains(type) && !type.startsWith(TEST_ONLY)) {
                    info.contracts().stream().map(ResolvedType::resolvedName).forEach(extraContracts::add);
                }
            }
            extraContracts.removeAll(allowed);
            assertTrue(extraContracts.isEmpty(), "discovery found more than the config parsers: " + extraContracts);
        } finally {
            discovered.shutdown();
        }
    }

    @Test
    void answersTheLookupsTheWebServerMakes() {
        ServiceRegistry explicit = StudioRegistry.create();
        assertFalse(explicit.all(TypeName.create("io.helidon.common.mapper.spi.MapperProvider")).isEmpty());
        assertTrue(explicit.first(io.helidon.common.mapper.Mappers.class).isPresent());
    }

    private static Set<String> descriptorTypes(ServiceRegistry registry) {
        return registry.lookupServices(Lookup.EMPTY).stream().map(ServiceInfo::descriptorType).map(TypeName::fqName)
                .collect(Collectors.toCollection(HashSet::new));
    }
}
