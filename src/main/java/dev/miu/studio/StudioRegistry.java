package dev.miu.studio;

import io.helidon.service.registry.GlobalServiceRegistry;
import io.helidon.service.registry.ServiceDescriptor;
import io.helidon.service.registry.ServiceRegistry;
import io.helidon.service.registry.ServiceRegistryConfig;
import io.helidon.service.registry.ServiceRegistryManager;

import java.util.List;

/**
 * Helidon's global service registry for the studio, with its services named here instead of discovered.
 * <p>
 * Helidon creates the global registry the first time anything asks for it (the web server's static set-up does).
 * Discovery reads the {@code service-registry.json} of every jar with Helidon's own JSON parser, whose first number
 * initializes {@code BigDecimal} (45 to 65 ms at start-up), and resolves every type name it finds: more than half of
 * the registry's start-up cost. The services below are exactly those the jars' metadata lists (Helidon 4.3.1;
 * {@code StudioRegistryTest} fails when the classpath's metadata and this list differ). Not included: the
 * {@code ServiceLoader} providers that discovery also wraps (config parsers and filters), which only a
 * {@code Config} obtained from the registry would use; miu builds its {@code Config} itself.
 */
public final class StudioRegistry {

    private StudioRegistry() {
    }

    /** The descriptors of the registry's services, in the order discovery finds them. */
    public static List<ServiceDescriptor<?>> descriptors() {
        return List.of(
                io.helidon.common.config.ConfigFactory__ServiceDescriptor.INSTANCE,
                io.helidon.common.mapper.DefaultMapperProvider__ServiceDescriptor.INSTANCE,
                io.helidon.common.mapper.DefaultResolverService__ServiceDescriptor.INSTANCE,
                io.helidon.common.mapper.MappersFactory__ServiceDescriptor.INSTANCE,
                io.helidon.common.mapper.MappersImpl__ServiceDescriptor.INSTANCE,
                io.helidon.config.ConfigProvider__ServiceDescriptor.INSTANCE,
                io.helidon.config.ConfigurationValueFactory__ServiceDescriptor.INSTANCE,
                io.helidon.config.MetaConfigFactory__ServiceDescriptor.INSTANCE,
                io.helidon.http.Headers__ServiceDescriptor.INSTANCE,
                io.helidon.http.HttpPrologue__ServiceDescriptor.INSTANCE,
                io.helidon.http.ServerRequestHeaders__ServiceDescriptor.INSTANCE,
                io.helidon.service.registry.EventManagerImpl__ServiceDescriptor.INSTANCE,
                io.helidon.service.registry.InterceptionMetadata__ServiceDescriptor.INSTANCE,
                io.helidon.service.registry.PerRequestScopeHandler__ServiceDescriptor.INSTANCE,
                io.helidon.service.registry.Scopes__ServiceDescriptor.INSTANCE,
                io.helidon.service.registry.ServiceRegistry__ServiceDescriptor.INSTANCE,
                io.helidon.webserver.LoomServer__ServiceDescriptor.INSTANCE,
                io.helidon.webserver.RequestScopeFeatureProvider__ServiceDescriptor.INSTANCE,
                io.helidon.webserver.WebServerService__ServiceDescriptor.INSTANCE,
                io.helidon.webserver.WebServerStarterService__ServiceDescriptor.INSTANCE,
                io.helidon.webserver.http.HttpEntryPointsImpl__ServiceDescriptor.INSTANCE,
                io.helidon.webserver.http.ServerRequest__ServiceDescriptor.INSTANCE,
                io.helidon.webserver.http.ServerResponse__ServiceDescriptor.INSTANCE);
    }

    /** A new registry of {@link #descriptors()}, without discovery. */
    public static ServiceRegistry create() {
        return ServiceRegistryManager.create(ServiceRegistryConfig.builder()
                .discoverServices(false)
                .discoverServicesFromServiceLoader(false)
                .serviceDescriptors(descriptors())
                .build()).registry();
    }

    /**
     * Makes {@link #create()} Helidon's global registry unless one already exists (an embedding program's or a
     * test's stays as it is).
     */
    public static void installIfAbsent() {
        GlobalServiceRegistry.registry(StudioRegistry::create);
    }
}
