package dev.miu.config;

import dev.miu.core.ConfigurationException;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code database} section: the PostgreSQL that {@code sessions.store: postgres} keeps sessions in.
 *
 * @param url               the JDBC URL without credentials ({@code jdbc:postgresql://host:5432/miu}), or null when
 *                          none is set; {@code database.url} / {@code MIU_DATABASE_URL} may be written
 *                          {@code postgresql://user:password@host:5432/miu} too
 * @param user              from {@code MIU_DATABASE_USER}, else the URL; null for the driver's default
 * @param password          from {@code MIU_DATABASE_PASSWORD}, else the URL; never logged
 * @param poolSize          connections the pool keeps at most ({@code database.pool-size})
 * @param connectionTimeout how long a request waits for a connection before the store counts as unavailable
 *                          ({@code database.connection-timeout})
 */
public record DatabaseSettings(String url, String user, String password, int poolSize, Duration connectionTimeout) {

    public static final DatabaseSettings NONE = new DatabaseSettings(null, null, null, 10, Duration.ofSeconds(5));

    static final int MAX_POOL = 200;

    public DatabaseSettings {
        if (url != null && !url.startsWith("jdbc:postgresql://")) {
            throw new ConfigurationException("database.url must be a jdbc:postgresql:// URL, got " + redact(url));
        }
        if (poolSize < 1 || poolSize > MAX_POOL) {
            throw new ConfigurationException(
                    "database.pool-size must be between 1 and " + MAX_POOL + ", got " + poolSize);
        }
        // Hikari refuses less than 250 ms
        if (connectionTimeout == null || connectionTimeout.toMillis() < 250) {
            throw new ConfigurationException("database.connection-timeout must be at least 250ms");
        }
    }

    /**
     * Reads the section and the environment; {@code required} (the postgres store is chosen) makes a missing URL an
     * error that says what to set.
     */
    static DatabaseSettings from(ConfigTree database, Map<String, String> env, boolean required) {
        String url = database.get("url").asString().orElse(null); // read first: a known key
        String envUrl = MiuConfig.blankToNull(env.get("MIU_DATABASE_URL"));
        if (envUrl != null) {
            url = envUrl;
        }
        int pool = database.get("pool-size").asInt().orElse(NONE.poolSize());
        pool = MiuConfig.envInt(env, "MIU_DATABASE_POOL_SIZE", pool);
        Duration timeout =
                Durations.get(database, "connection-timeout", "database.connection-timeout", NONE.connectionTimeout());
        url = MiuConfig.blankToNull(url);
        if (url == null) {
            if (required) {
                throw new ConfigurationException("sessions.store is postgres but no database is set: set "
                        + "MIU_DATABASE_URL (or database.url), e.g. postgresql://localhost:5432/miu");
            }
            return new DatabaseSettings(null, null, null, pool, timeout);
        }
        Parsed parsed = parse(url);
        String user = MiuConfig.blankToNull(env.get("MIU_DATABASE_USER"));
        String password = env.get("MIU_DATABASE_PASSWORD");
        return new DatabaseSettings(
                parsed.jdbcUrl(),
                user != null ? user : parsed.user(),
                password != null && !password.isEmpty() ? password : parsed.password(),
                pool,
                timeout);
    }

    /** A URL without its credentials, and the credentials it held. */
    record Parsed(String jdbcUrl, String user, String password) {}

    /**
     * Reads {@code postgresql://[user[:password]@]host[:port]/db[?params]} (also {@code postgres://}) or a
     * {@code jdbc:postgresql://} URL, whose {@code user} and {@code password} parameters are taken out of it.
     */
    static Parsed parse(String url) {
        String rest;
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql://")) {
            rest = url.substring("jdbc:postgresql://".length());
        } else if (lower.startsWith("postgresql://")) {
            rest = url.substring("postgresql://".length());
        } else if (lower.startsWith("postgres://")) {
            rest = url.substring("postgres://".length());
        } else {
            throw new ConfigurationException("database.url (MIU_DATABASE_URL) must start with postgresql:// or "
                    + "jdbc:postgresql://, got " + redact(url));
        }
        URI uri;
        try {
            uri = new URI("postgresql://" + rest);
        } catch (URISyntaxException e) {
            throw new ConfigurationException(
                    "database.url (MIU_DATABASE_URL) is not a valid URL: " + redact(url) + " (" + e.getReason() + ")");
        }
        String host = uri.getHost();
        String path = uri.getRawPath();
        if (host == null || host.isBlank() || path == null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
            throw new ConfigurationException("database.url (MIU_DATABASE_URL) must name a host and a database, "
                    + "e.g. postgresql://localhost:5432/miu, got " + redact(url));
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        List<String> kept = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String param : uri.getRawQuery().split("&")) {
                String key = param.split("=", 2)[0];
                String value = param.contains("=") ? decode(param.split("=", 2)[1]) : "";
                if (key.equals("user")) {
                    user = value;
                } else if (key.equals("password")) {
                    password = value;
                } else if (!param.isEmpty()) {
                    kept.add(param);
                }
            }
        }
        String hostPort = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String jdbc = "jdbc:postgresql://" + hostPort + path + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        return new Parsed(jdbc, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** {@code url} for messages: without what sits between {@code //} and {@code @}, nor a password parameter. */
    static String redact(String url) {
        String s = url.replaceAll("//[^/@]*@", "//***@");
        return s.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
    }

    /** For the start-up log: the URL and user, never the password. */
    public String describe() {
        return url == null ? "none" : url + (user == null ? "" : " as " + user);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + describe() + ", pool " + poolSize + ", timeout " + connectionTimeout + "]";
    }
}
