package dev.miu.studio.http;

import io.helidon.common.Weight;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsUpgradeProvider;
import io.helidon.webserver.websocket.WsUpgrader;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsSession;

import java.time.Duration;

/**
 * Helidon's WebSocket upgrade, with the browser-origin check left to the studio.
 * <p>
 * Since 4.5.0 Helidon refuses (403) an upgrade whose {@code Origin} is not the request's own authority unless it is
 * listed in {@code WsConfig.origins}, and a non-empty list then refuses same-origin pages. The studio's rule is
 * same-origin <em>or</em> listed in {@code server.cors-origins} ({@code *} for any), the rule its HTTP routes
 * follow; {@link ChatSocket#onHttpUpgrade} applies it together with the token and host checks. Registered as an
 * {@code Http1UpgradeProvider} service weighted above Helidon's own, so it is the one the server picks for
 * {@code websocket}.
 */
@Weight(StudioWsUpgradeProvider.WEIGHT)
public final class StudioWsUpgradeProvider extends WsUpgradeProvider {

    /** Above Helidon's default weight (100): the server keeps the first upgrader per protocol, by weight. */
    static final double WEIGHT = 200;

    @Override
    public Http1Upgrader create(WsConfig config, ProtocolConfigs configs) {
        return new StudioWsUpgrader(config);
    }

    private static final class StudioWsUpgrader extends WsUpgrader {

        StudioWsUpgrader(WsConfig config) {
            super(config);
        }

        @Override
        protected void validateOrigin(Headers headers, String origin) {
            // checked by ChatSocket.onHttpUpgrade against the studio's AccessPolicy
        }

        @Override
        public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
            ServerConnection connection = super.upgrade(ctx, prologue, headers);
            if (connection == null) {
                return null;
            }
            Http1Connections.upgradedToWebSocket(ctx);
            return new Guarded(connection, ctx);
        }
    }

    /**
     * Ends a WebSocket whose handling failed with a close frame (1011), where Helidon 4.5.0 would write an HTTP error
     * response into the upgraded stream, and logs the failure in one line.
     */
    private record Guarded(ServerConnection delegate, ConnectionContext ctx) implements ServerConnection {

        private static final System.Logger LOG = System.getLogger(StudioWsUpgradeProvider.class.getName());

        @Override
        public void handle(Limit limit) throws InterruptedException {
            try {
                delegate.handle(limit);
            } catch (CloseConnectionException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.INFO, "Closed a WebSocket (1011): " + e);
                if (delegate instanceof WsSession session) {
                    try {
                        session.close(WsCloseCodes.UNEXPECTED_CONDITION, "Internal error");
                    } catch (RuntimeException ignored) {
                        // the client is gone
                    }
                }
                throw new CloseConnectionException("WebSocket failed", e);
            }
        }

        /** Idle only when neither side sent anything: a turn streaming to a quiet client keeps its connection. */
        @Override
        public Duration idleTime() {
            Duration read = delegate.idleTime();
            Duration written = Http1Connections.sinceLastWrite(ctx);
            return written == null || read.compareTo(written) < 0 ? read : written;
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }
    }
}
