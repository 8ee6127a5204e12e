package dev.miu.studio;

import io.helidon.service.registry.GlobalServiceRegistry;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.websocket.WsRouting;

/**
 * Uses the second core while {@code miu serve} starts: the main thread reads the configuration, providers and
 * sessions, while this thread does the web server's set-up that no setting changes. That is mostly Helidon's global
 * service registry (reading every jar's service descriptors), which {@link StudioServer#start} would otherwise build
 * first, on the main thread, then a throw-away server configuration (never built into a server, so it binds
 * nothing and starts no thread) that loads and initializes the HTTP/1, WebSocket and media classes.
 *
 * <p>Like Spring Boot's background pre-initializer it changes no behaviour: the registry is Helidon's process-wide
 * one, created once under Helidon's own lock by whichever thread asks first, and nothing here logs, binds or keeps
 * state of its own. A failure is ignored because the main thread then does the same work and reports it.
 */
public final class StudioWarmUp {

    private StudioWarmUp() {
    }

    /** Starts the warm-up on a daemon thread and returns at once. */
    public static void start() {
        Thread.ofPlatform().daemon().name("miu-serve-warm-up").start(StudioWarmUp::run);
    }

    private static void run() {
        try {
            GlobalServiceRegistry.registry();
            WebServerConfig.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .routing(routing -> routing.get("/", (req, res) -> res.send()))
                    .addRouting(WsRouting.builder())
                    .buildPrototype();
            jakarta.json.Json.createObjectBuilder().add("warm", 1).build().toString(); // the JSON media support
            java.time.ZoneId.systemDefault(); // time-zone data for the Date header
            java.net.InetAddress.getLoopbackAddress(); // the JDK's address classes and security properties
        } catch (RuntimeException | LinkageError e) {
            // the main thread does this work itself and reports what fails
        }
    }
}
