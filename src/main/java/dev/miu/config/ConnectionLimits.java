package dev.miu.config;

import dev.miu.core.ConfigurationException;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;

/**
 * How many connections the studio holds at once and how long it waits for a client, so one client cannot take all
 * file descriptors or hold sockets open for ever.
 *
 * @param maxConnections     open connections at most ({@code server.max-connections}); a connection over the limit
 *                           waits in the listen backlog until one closes. 0: half of the file descriptors the
 *                           process has free when the server starts (see {@link #effectiveMaxConnections()})
 * @param idleTimeout        a connection with no request and no bytes for this long is closed
 * @param requestHeadTimeout a request line and headers that take longer than this to arrive get 408 and a close
 * @param bodyTimeout        a request body with no bytes for this long gets 400 and a close
 */
public record ConnectionLimits(
        int maxConnections, Duration idleTimeout, Duration requestHeadTimeout, Duration bodyTimeout) {

    public static final ConnectionLimits DEFAULT =
            new ConnectionLimits(0, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(30));
    static final int MAX_CONNECTIONS = 1_000_000;
    static final long MAX_TIMEOUT_SECONDS = 86_400;
    /** What 0 resolves to when the platform cannot say how many descriptors are free. */
    static final int FALLBACK_CONNECTIONS = 1_000;

    public ConnectionLimits {
        if (maxConnections < 0 || maxConnections > MAX_CONNECTIONS) {
            throw new ConfigurationException("server.max-connections must be between 0 (half the free file "
                    + "descriptors) and " + MAX_CONNECTIONS + ", got " + maxConnections);
        }
        check("server.idle-timeout", idleTimeout);
        check("server.request-head-timeout", requestHeadTimeout);
        check("server.body-timeout", bodyTimeout);
    }

    private static void check(String name, Duration value) {
        if (value == null || value.toMillis() < 1 || value.toSeconds() > MAX_TIMEOUT_SECONDS) {
            throw new ConfigurationException(name + " must be between 1ms and 24h, got "
                    + (value == null ? "nothing" : Durations.format(value)));
        }
    }

    static ConnectionLimits from(ConfigTree server, Map<String, String> env) {
        int max = MiuConfig.envInt(
                env,
                "MIU_MAX_CONNECTIONS",
                server.get("max-connections").asInt().orElse(DEFAULT.maxConnections()));
        return new ConnectionLimits(
                max,
                Durations.get(server, "idle-timeout", "server.idle-timeout", DEFAULT.idleTimeout()),
                Durations.get(
                        server, "request-head-timeout", "server.request-head-timeout", DEFAULT.requestHeadTimeout()),
                Durations.get(server, "body-timeout", "server.body-timeout", DEFAULT.bodyTimeout()));
    }

    /**
     * The connection limit to apply: the configured one, or for 0 half of the file descriptors this process had free
     * when this was first asked (as the server was set up; the other half stays for session files, MCP children and
     * calls to providers), at least 16.
     */
    public int effectiveMaxConnections() {
        return maxConnections > 0 ? maxConnections : HalfTheFreeDescriptors.VALUE;
    }

    /** Computed once, on first use. */
    private static final class HalfTheFreeDescriptors {
        static final int VALUE = compute();

        private static int compute() {
            if (ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                long free = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount();
                return (int) Math.clamp(free / 2, 16, MAX_CONNECTIONS);
            }
            return FALLBACK_CONNECTIONS;
        }
    }

    /** For the start-up log. */
    public String describe() {
        return effectiveMaxConnections() + " connections"
                + (maxConnections == 0 ? " (half the free file descriptors)" : "")
                + "; idle " + Durations.format(idleTimeout) + ", request head " + Durations.format(requestHeadTimeout)
                + ", body " + Durations.format(bodyTimeout);
    }
}
