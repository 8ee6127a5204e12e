package dev.miu.config;

import dev.miu.core.ConfigurationException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code server} section: where the studio listens and who may call it.
 *
 * @param apiKey       bearer token every {@code /api} route requires, or {@code null} for none
 * @param corsOrigins  origins allowed cross-origin; empty means same-origin only
 * @param maxBodyBytes largest request body accepted (413 above it)
 * @param limits       connections at most and how long a client may be idle or slow
 * @param allowedHosts host names accepted in the {@code Host} header besides the defaults (loopback names, IP
 *                     addresses, the bound host); {@code *} accepts any. Guards against DNS rebinding.
 * @param streamWriteTimeout how long writing one event to an SSE client may block (the client stopped reading)
 *                     before the stream is closed and its turn cancelled
 */
public record ServerSettings(
        String host,
        int port,
        String apiKey,
        List<String> corsOrigins,
        long maxBodyBytes,
        ConnectionLimits limits,
        List<String> allowedHosts,
        Duration streamWriteTimeout) {

    public static final int DEFAULT_PORT = 8000;
    /** The largest body limit that may be set: 256 MiB. */
    public static final long MAX_BODY_LIMIT = 256L * 1024 * 1024;

    public static final Duration DEFAULT_STREAM_WRITE_TIMEOUT = Duration.ofSeconds(30);

    public ServerSettings {
        if (port < 0 || port > 65535) {
            throw new ConfigurationException("Port must be between 0 and 65535, got " + port);
        }
        if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_LIMIT) {
            throw new ConfigurationException(
                    "server.max-body-bytes must be between 1 and " + MAX_BODY_LIMIT + ", got " + maxBodyBytes);
        }
        corsOrigins = List.copyOf(corsOrigins);
        if (limits == null) {
            throw new ConfigurationException("server connection limits must be set");
        }
        allowedHosts = List.copyOf(allowedHosts);
        if (streamWriteTimeout == null || streamWriteTimeout.isZero() || streamWriteTimeout.isNegative()) {
            throw new ConfigurationException("server.stream-write-timeout must be longer than zero");
        }
    }

    /** Settings with the default connection limits, only the default allowed hosts and the default write timeout. */
    public ServerSettings(String host, int port, String apiKey, List<String> corsOrigins, long maxBodyBytes) {
        this(
                host,
                port,
                apiKey,
                corsOrigins,
                maxBodyBytes,
                ConnectionLimits.DEFAULT,
                List.of(),
                DEFAULT_STREAM_WRITE_TIMEOUT);
    }

    static ServerSettings from(ConfigTree server, Map<String, String> env) {
        String host = env.getOrDefault("MIU_HOST", server.get("host").asString().orElse("127.0.0.1"));
        int port = MiuConfig.envInt(env, "MIU_PORT", server.get("port").asInt().orElse(DEFAULT_PORT));
        String apiKey = MiuConfig.blankToNull(
                env.getOrDefault("MIU_API_KEY", server.get("api-key").asString().orElse(null)));
        List<String> cors = server.get("cors-origins").asStringList().orElse(List.of());
        String envCors = env.get("MIU_CORS_ORIGINS");
        if (envCors != null && !envCors.isBlank()) {
            cors = List.of(envCors.split("\\s*,\\s*"));
        }
        long maxBody = server.get("max-body-bytes").asLong().orElse(1024L * 1024);
        List<String> hosts = server.get("allowed-hosts").asStringList().orElse(List.of());
        String envHosts = env.get("MIU_ALLOWED_HOSTS");
        if (envHosts != null && !envHosts.isBlank()) {
            hosts = List.of(envHosts.strip().split("\\s*,\\s*"));
        }
        return new ServerSettings(
                host,
                port,
                apiKey,
                cors,
                maxBody,
                ConnectionLimits.from(server, env),
                hosts,
                Durations.get(
                        server, "stream-write-timeout", "server.stream-write-timeout", DEFAULT_STREAM_WRITE_TIMEOUT));
    }

    public ServerSettings withHost(String host) {
        return new ServerSettings(
                host, port, apiKey, corsOrigins, maxBodyBytes, limits, allowedHosts, streamWriteTimeout);
    }

    public ServerSettings withLimits(ConnectionLimits limits) {
        return new ServerSettings(
                host, port, apiKey, corsOrigins, maxBodyBytes, limits, allowedHosts, streamWriteTimeout);
    }

    public ServerSettings withPort(int port) {
        return new ServerSettings(
                host, port, apiKey, corsOrigins, maxBodyBytes, limits, allowedHosts, streamWriteTimeout);
    }

    public ServerSettings withAllowedHosts(List<String> allowedHosts) {
        return new ServerSettings(
                host, port, apiKey, corsOrigins, maxBodyBytes, limits, allowedHosts, streamWriteTimeout);
    }

    public ServerSettings withStreamWriteTimeout(Duration timeout) {
        return new ServerSettings(host, port, apiKey, corsOrigins, maxBodyBytes, limits, allowedHosts, timeout);
    }

    @Override
    public String toString() {
        return "ServerSettings[" + host + ":" + port + ", auth=" + (apiKey != null ? "on" : "off")
                + ", cors=" + corsOrigins + ", maxBodyBytes=" + maxBodyBytes + ", limits=" + limits
                + ", allowedHosts=" + allowedHosts + ", streamWriteTimeout=" + streamWriteTimeout + "]";
    }
}
