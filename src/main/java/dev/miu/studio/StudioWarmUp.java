package dev.miu.studio;

import io.helidon.service.registry.GlobalServiceRegistry;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.websocket.WsRouting;

/**
 * Uses the second core while {@code miu serve} starts: the main thread reads the configuration, providers and
 * sessions, while this thread builds what the web server needs whatever the configuration says (Helidon's global
 * service registry, which {@link StudioServer#start} would otherwise build first, on the main thread). Like Spring
 * Boot's background pre-initializer it changes no behaviour: the registry is Helidon's process-wide one, created
 * once under Helidon's own lock by whichever thread asks first, and a failure here is ignored because the main
 * thread then does the same work and reports it.
 */
public final class StudioWarmUp {

    private StudioWarmUp() {
    }

    /** Starts the warm-up on a daemon thread and returns at once. */
    public static void start() {
        if (Integer.getInteger("miu.warmup", 2) == 0) {
            return;
        }
        Thread.ofPlatform().daemon().name("miu-serve-warm-up").start(StudioWarmUp::run);
    }

    private static void run() {
        try {
            GlobalServiceRegistry.registry();
            if (Integer.getInteger("miu.warmup", 2) >= 2) {
                WebServerConfig.builder().host("127.0.0.1").port(0)
                        .routing(routing -> routing.get("/", (req, res) -> res.send()))
                        .addRouting(WsRouting.builder())
                        .buildPrototype();
                jakarta.json.Json.createObjectBuilder().add("a", 1).build().toString();
                java.time.ZoneId.systemDefault();
                java.net.InetAddress.getLoopbackAddress();
            }
        } catch (RuntimeException | LinkageError e) {
            // the main thread builds the registry itself and reports what fails
        }
    }
}
