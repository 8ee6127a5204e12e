package dev.miu.studio.http;

import io.helidon.common.Weight;
import io.helidon.http.Headers;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsUpgradeProvider;
import io.helidon.webserver.websocket.WsUpgrader;

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
    }
}
