package dev.miu.studio;

import io.helidon.service.registry.GlobalServiceRegistry;
import io.helidon.service.registry.ServiceDescriptor;
import io.helidon.service.registry.ServiceRegistry;
import io.helidon.service.registry.ServiceRegistryConfig;
import io.helidon.service.registry.ServiceRegistryManager;

import java.util.List;

/**
 * Helidon's global service registry for the studio, holding only the services the web server looks up.
 * <p>
 * Helidon creates the global registry the first time anything asks for it (the web server's static set-up does).
 * Discovery reads the {@code service-registry.json} of every jar with Helidon's own JSON parser, whose first number
 * initializes {@code BigDecimal} (45 to 65 ms at start-up), and resolves every type name it finds. Even named
 * outright, the 23 services the jars declare cost about 45 ms of start-up in their descriptors' static set-up (type
 * names and annotations) and the registry's injection plans. The server itself asks for three contracts: the mapper
 * providers, the mappers, and the mapper manager (Helidon 4.3.1, recorded by {@code StudioRegistryTest} in a
 * fresh {@code serve} process over health, sessions, the UI, REST, SSE and WebSocket chats, which fails when a lookup
 * is answered differently from discovery). The other declared services are Helidon's dependency-injection plumbing
 * (config and web server as injectable services, request scopes, interception), which miu does not use: it builds
 * its config and its server itself.
 */
public final class StudioRegistry {

    private StudioRegistry() {}

    /**
     * The descriptors of the registry's services. The registry adds its own core services (the registry itself,
     * scopes, interception metadata) to any list.
     */
    public static List<ServiceDescriptor<?>> descriptors() {
        return List.of(
                io.helidon.common.mapper.DefaultMapperProvider__ServiceDescriptor.INSTANCE,
                io.helidon.common.mapper.MappersFactory__ServiceDescriptor.INSTANCE,
                io.helidon.webserver.RequestScopeFeatureProvider__ServiceDescriptor.INSTANCE);
    }

    /** A new registry of {@link #descriptors()}, without discovery. */
    public static ServiceRegistry create() {
        return ServiceRegistryManager.create(ServiceRegistryConfig.builder()
                        .discoverServices(false)
                        .discoverServicesFromServiceLoader(false)
                        .serviceDescriptors(descriptors())
                        .build())
                .registry();
    }

    /**
     * Makes {@link #create()} Helidon's global registry unless one already exists (an embedding program's or a
     * test's stays as it is).
     */
    public static void installIfAbsent() {
        GlobalServiceRegistry.registry(StudioRegistry::create);
    }
}
