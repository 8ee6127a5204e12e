package dev.miu.studio;

import dev.miu.config.ConnectionLimits;
import dev.miu.config.ServerSettings;
import dev.miu.core.ConfigurationException;
import dev.miu.core.json.Json;
import dev.miu.studio.http.AllowedHosts;
import dev.miu.studio.http.ConnectionWatch;
import dev.miu.studio.http.Http1Connections;
import dev.miu.studio.http.MalformedRequests;
import dev.miu.studio.http.StudioWsUpgradeProvider;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/** Starts the studio's web server on the configured address, and describes it for the start-up log. */
public final class StudioServer {

    /** Helidon's WebSocket defaults (frames up to 1 MiB). */
    private static final WsConfig WS = WsConfig.create();

    /** Helidon's loggers, held while the server starts (JUL keeps loggers weakly). */
    private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");

    private StudioServer() {}

    /**
     * Starts preparing, on a background thread, what the server's first answers would otherwise wait for: the
     * time-zone rules behind every response's {@code Date} header and the JSON provider behind every API answer
     * (together about 20 ms of the first request, in the interpreter). {@code miu serve} calls it before reading
     * its configuration, so this runs while the server is being set up, on a core the set-up leaves idle.
     * Best effort: a failure here shows up again, and is reported, where the server uses the same thing.
     */
    public static void prepareFirstAnswers() {
        Thread.ofPlatform().daemon().name("miu-serve-prepare").start(() -> {
            try {
                var unused = ZonedDateTime.now(java.time.ZoneId.systemDefault()); // as the Date header reads it
                Json.write(Json.parseObject("{\"status\":\"ok\"}"));
            } catch (RuntimeException ignored) {
                // the request that needs it reports it
            }
        });
    }

    /**
     * Builds and starts the server; it runs on virtual threads until {@link WebServer#stop()}.
     *
     * @throws ConfigurationException it cannot listen on the configured address (most often: the port is taken)
     */
    public static WebServer start(Studio studio) {
        return start(studio, studio.config().server());
    }

    /** {@link #start(Studio)} on the address of {@code settings}. */
    static WebServer start(Studio studio, ServerSettings settings) {
        StudioRegistry.installIfAbsent(); // before anything of Helidon's asks for the global registry
        // no Helidon shutdown hook: its stop would race the owner's (miu serve's ends turns waiting for approval
        // first, so their clients get done)
        var builder =
                WebServer.builder().host(settings.host()).port(settings.port()).shutdownHook(false);
        mount(builder, studio);
        // Helidon logs a listener that failed to bind (with its stack trace) and returns a stopped server instead
        // of throwing: its records wait until it is known whether miu's one line says it all
        try (HeldLogRecords helidonLog = HeldLogRecords.hold(HELIDON_LOG)) {
            WebServer server = builder.build().start();
            if (!server.isRunning() || server.port() < 0) {
                server.stop();
                String reason = bindFailure(settings);
                if (reason != null) {
                    helidonLog.drop(); // the line below says what they said
                } else {
                    reason = "the web server did not start (see its log above)";
                }
                throw new ConfigurationException("cannot listen on " + settings.host() + ":" + settings.port() + ": "
                        + reason + " (choose another port with --port or MIU_PORT, or 0 for any free one)");
            }
            return server;
        }
    }

    /**
     * The studio's routes, its WebSocket and their connection settings on {@code server} (address aside): what
     * {@link #start} serves, and what tests mount on a server of their own.
     */
    public static void mount(WebServerConfig.Builder server, Studio studio) {
        var ws = WsRouting.builder();
        StudioRouting.websocket(ws, studio);
        // Helidon's WebSocket reads frames of up to 1 MiB and closes the connection (1009) on a bigger one. Raising
        // that with an explicit WsConfig protocol made every HTTP/1 turn cost about a fifth more CPU (64 clients,
        // 4 interleaved pairs), so it stays: ChatSocket answers an error event between the body limit and 1 MiB.
        ConnectionLimits limits = studio.config().server().limits();
        var watch = new ConnectionWatch(limits);
        server
                // small frames (a WebSocket chunk, an SSE event) go out at once instead of waiting for a delayed ACK
                .connectionOptions(options -> options.tcpNoDelay(true))
                // past the studio's limit (and a margin where the excess hears 503) connections wait in the backlog
                .maxTcpConnections(watch.acceptLimit())
                .idleConnectionTimeout(limits.idleTimeout())
                .idleConnectionPeriod(checkPeriod(limits.idleTimeout()))
                // WsConnection finds its settings among the listener's protocols; no other protocol is discovered
                .protocolsDiscoverServices(false)
                .protocols(List.of(WS))
                .connectionSelectors(List.of(http1(watch)))
                .directHandlers(MalformedRequests.handlers())
                .errorHandling(errors -> errors.includeEntity(true)) // Helidon's reason becomes the detail
                .routing(routing -> {
                    routing.addFilter(watch.requestEnd());
                    StudioRouting.routing(routing, studio);
                })
                .addRouting(ws);
    }

    /** HTTP/1 with the studio's WebSocket upgrade, as the only protocol: see {@link Http1Connections}. */
    private static Http1Connections http1(ConnectionWatch watch) {
        var upgrader = new StudioWsUpgradeProvider().create(WS, ProtocolConfigs.create(List.of(WS)));
        var selector = Http1ConnectionSelector.builder()
                .config(Http1Config.builder()
                        .addReceiveListener(watch.headListener())
                        .build())
                .addUpgrader(upgrader)
                .build();
        return new Http1Connections(selector, watch);
    }

    /** How often Helidon looks for idle connections: a tenth of the timeout, between 100 ms and 10 s. */
    private static Duration checkPeriod(Duration idleTimeout) {
        return Duration.ofMillis(Math.clamp(idleTimeout.toMillis() / 10, 100, 10_000));
    }

    /** Why binding fails, found by trying again (Helidon keeps the exception to its log); null if binding works. */
    private static String bindFailure(ServerSettings settings) {
        try (var socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(settings.host(), settings.port()));
            return null;
        } catch (IOException e) {
            String reason = e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
            return Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
        }
    }

    /** What a user needs to know at start-up: where, which model, where data goes, what is missing. Never secrets. */
    public static List<String> describe(Studio studio, WebServer server) {
        var config = studio.config();
        String host = config.server().host();
        String shownHost = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        List<String> lines = new ArrayList<>();
        lines.add("miu studio listening on http://" + (shownHost.contains(":") ? "[" + shownHost + "]" : shownHost)
                + ":" + server.port() + "/");
        lines.add("  model:    " + ModelStatus.of(config).describe());
        lines.add("  data:     " + config.dataDir() + " (sessions in "
                + studio.sessions().describe() + ")"
                + (studio.sessions().isReady() ? "" : " (NOT WRITABLE: /api/v1/ready reports not ready)"));
        lines.add("  sessions: " + config.sessions().describe());
        lines.add("  config:   " + config.source());
        lines.add("  limits:   " + config.server().limits().describe());
        if (!studio.mcp().isEmpty()) {
            int up = studio.mcp().states().size() - studio.mcp().failures().size();
            lines.add("  mcp:      " + up + " of " + studio.mcp().states().size() + " servers running"
                    + (studio.mcp().failures().isEmpty() ? "" : " (see GET /api/v1/mcp/servers for the failures)"));
        }
        List<String> tools = studio.tools().names();
        lines.add("  tools:    " + (tools.isEmpty() ? "none (studio.tools in app.yaml)" : String.join(", ", tools)));
        lines.add("  clients:  OpenAI API /v1, MCP /mcp, A2A /a2a/{agent}, API docs /docs");
        lines.add("  access:   API key " + (config.server().apiKey() != null ? "required" : "not required")
                + "; CORS "
                + (config.server().corsOrigins().isEmpty()
                        ? "same-origin only"
                        : String.join(", ", config.server().corsOrigins()))
                + "; hosts " + AllowedHosts.of(config.server()).describe());
        return lines;
    }
}
