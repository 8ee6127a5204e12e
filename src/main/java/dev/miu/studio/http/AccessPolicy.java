package dev.miu.studio.http;

import dev.miu.config.ServerSettings;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may call the studio: the bearer token (when one is configured) and which browser origins are allowed.
 * Same-origin requests are always allowed; other origins only when listed in {@code server.cors-origins}
 * ({@code *} allows any). Requests without an Origin header (curl, scripts) are not browser cross-origin calls.
 * The {@code Host} header must name this server ({@link AllowedHosts}), or "same-origin" means nothing.
 */
public final class AccessPolicy {

    private final String apiKey;
    private final List<String> origins;
    private final AllowedHosts hosts;

    public AccessPolicy(ServerSettings server) {
        this.apiKey = server.apiKey();
        this.origins =
                server.corsOrigins().stream().map(AccessPolicy::normalizeOrigin).toList();
        this.hosts = AllowedHosts.of(server);
    }

    /** Whether a request with this {@code Host} header may be served at all (DNS rebinding). */
    public boolean hostAllowed(Optional<String> host) {
        return hosts.allows(host);
    }

    /**
     * Whether {@code method path} may be called without the API key: the health probes, which orchestrators and
     * load balancers call without credentials, and which say nothing beyond "up" and "ready".
     */
    public static boolean openWithoutKey(String method, String path) {
        return (method.equals("GET") || method.equals("HEAD"))
                && (path.equals("/api/v1/health") || path.equals("/api/v1/ready"));
    }

    public boolean authRequired() {
        return apiKey != null;
    }

    /** Whether {@code token} is the configured key (compared in constant time); true when no key is configured. */
    public boolean tokenAccepted(String token) {
        if (apiKey == null) {
            return true;
        }
        return token != null
                && MessageDigest.isEqual(
                        apiKey.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    /** The token of an {@code Authorization: Bearer ...} header value, if it has one. */
    public static Optional<String> bearer(Optional<String> authorization) {
        return authorization
                .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(v -> v.substring(7).strip());
    }

    /** Whether a request from {@code origin} to {@code host} (the Host header) is same-origin. */
    public static boolean sameOrigin(String origin, Optional<String> host) {
        if (host.isEmpty()) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null) {
                return false;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
            String h = host.get().toLowerCase(Locale.ROOT);
            String expected = uri.getHost().toLowerCase(Locale.ROOT);
            return h.equals(expected + ":" + port) || (h.equals(expected) && (port == 80 || port == 443));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code origin} is listed as allowed cross-origin. */
    public boolean corsAllowed(String origin) {
        return origins.contains("*") || origins.contains(normalizeOrigin(origin));
    }

    /** Whether a browser on {@code origin} may use this server at {@code host}. */
    public boolean originAllowed(String origin, Optional<String> host) {
        return sameOrigin(origin, host) || corsAllowed(origin);
    }

    private static String normalizeOrigin(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
