package dev.miu.core.http;

import dev.miu.core.ConfigurationException;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The proxies outgoing HTTP goes through, as set by the usual environment variables: {@code HTTPS_PROXY} for
 * https URLs, {@code HTTP_PROXY} for http ones (the lower-case forms win when both are set, as in curl), and
 * {@code NO_PROXY} for hosts reached directly. Read once where configuration is read, then passed to the client.
 *
 * <p>{@code NO_PROXY} is a comma-separated list: {@code *} (no proxy at all), a domain ({@code example.com} or
 * {@code .example.com}, which both cover the domain and every name under it), a host name, an IP address or an
 * IPv4/IPv6 range ({@code 10.0.0.0/8}); a {@code :port} after an entry is ignored. Loopback targets
 * ({@code localhost}, {@code 127.0.0.1}, {@code ::1}) never go through a proxy: a company proxy cannot reach this
 * machine's local servers (Ollama, say), as Go's and Python's clients also assume.
 *
 * @param http    the proxy for http:// URLs, or null
 * @param https   the proxy for https:// URLs, or null
 * @param noProxy the NO_PROXY entries, lower-cased, without blanks
 */
public record ProxySettings(Proxy http, Proxy https, List<String> noProxy) {

    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");

    /** No proxy for anything. */
    public static final ProxySettings NONE = new ProxySettings(null, null, List.of());

    /**
     * One HTTP proxy. {@link #toString()} shows host and port only: the password never reaches a log or message.
     *
     * @param authorization the {@code Proxy-Authorization} header value from the URL's user-info, or null
     */
    public record Proxy(String host, int port, String authorization) {
        public Proxy {
            if (host == null || host.isBlank() || port < 1 || port > 65535) {
                throw new IllegalArgumentException("a proxy needs a host and a port");
            }
        }

        /** "proxy.example.com:3128", for messages. */
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public ProxySettings {
        noProxy = List.copyOf(noProxy);
    }

    /** The proxies named by {@code env}; a clear {@link ConfigurationException} for a proxy URL miu cannot use. */
    public static ProxySettings fromEnvironment(Map<String, String> env) {
        String http = variable(env, "http_proxy");
        String https = variable(env, "https_proxy");
        String noProxy = variable(env, "no_proxy");
        List<String> entries = new ArrayList<>();
        if (noProxy != null) {
            for (String entry : noProxy.split("[,\\s]+")) {
                if (!entry.isBlank()) {
                    entries.add(entry.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return new ProxySettings(parse("HTTP_PROXY", http), parse("HTTPS_PROXY", https), entries);
    }

    /** The lower-case variable if set, else the upper-case one (curl's order), blank counting as unset. */
    private static String variable(Map<String, String> env, String lowerName) {
        String value = env.get(lowerName);
        if (value == null || value.isBlank()) {
            value = env.get(lowerName.toUpperCase(Locale.ROOT));
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** {@code http://user:pass@host:port}, or {@code host:port}; http is the only proxy scheme spoken. */
    static Proxy parse(String variable, String value) {
        if (value == null) {
            return null;
        }
        String withScheme = value.contains("://") ? value : "http://" + value;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new ConfigurationException(variable + " is not a proxy URL (expected http://host:port)");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new ConfigurationException(variable + " uses the scheme '" + uri.getScheme()
                    + "'; miu reaches proxies over plain HTTP only: set it to http://host:port");
        }
        if (uri.getHost() == null) {
            throw new ConfigurationException(variable + " has no host (expected http://host:port)");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String authorization = null;
        if (uri.getRawUserInfo() != null) {
            // user-info is percent-encoded in a URL (a password with '@' is written %40)
            String userInfo =
                    java.net.URLDecoder.decode(uri.getRawUserInfo().replace("+", "%2B"), StandardCharsets.UTF_8);
            authorization = "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        }
        return new Proxy(host, uri.getPort() > 0 ? uri.getPort() : 80, authorization);
    }

    /** The proxy for a request to {@code host} over https or plain http, or null to connect directly. */
    public Proxy proxyFor(String host, boolean https) {
        Proxy proxy = https ? this.https : http;
        if (proxy == null || bypass(host)) {
            return null;
        }
        return proxy;
    }

    /** Whether {@code host} is reached directly: a loopback name or address, or a match of a NO_PROXY entry. */
    boolean bypass(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        while (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1); // "example.com." is example.com
        }
        InetAddress address = literal(name);
        if (name.equals("localhost")
                || name.endsWith(".localhost")
                || (address != null && address.isLoopbackAddress())) {
            return true;
        }
        for (String entry : noProxy) {
            if (matches(entry, name, address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String entry, String name, InetAddress address) {
        if (entry.equals("*")) {
            return true;
        }
        int slash = entry.indexOf('/');
        if (slash > 0) {
            return address != null && inRange(address, entry.substring(0, slash), entry.substring(slash + 1));
        }
        String pattern = withoutPort(entry);
        if (pattern.startsWith("[") && pattern.endsWith("]")) {
            pattern = pattern.substring(1, pattern.length() - 1);
        }
        InetAddress patternAddress = literal(pattern);
        if (patternAddress != null) {
            return patternAddress.equals(address);
        }
        if (pattern.startsWith("*.")) {
            pattern = pattern.substring(1);
        }
        if (pattern.startsWith(".")) {
            pattern = pattern.substring(1);
        }
        return !pattern.isEmpty() && (name.equals(pattern) || name.endsWith("." + pattern));
    }

    /** "host:8080" → "host"; an IPv6 literal keeps its colons. */
    private static String withoutPort(String entry) {
        int colon = entry.lastIndexOf(':');
        if (colon < 0 || entry.indexOf(':') != colon) {
            return entry; // no port, or a bare IPv6 address
        }
        return entry.substring(0, colon);
    }

    private static boolean inRange(InetAddress address, String network, String bits) {
        InetAddress base = literal(network);
        int prefix;
        try {
            prefix = Integer.parseInt(bits);
        } catch (NumberFormatException e) {
            return false;
        }
        if (base == null) {
            return false;
        }
        byte[] a = address.getAddress();
        byte[] b = base.getAddress();
        if (a.length != b.length || prefix < 0 || prefix > a.length * 8) {
            return false;
        }
        for (int i = 0; i < prefix; i++) {
            int mask = 0x80 >> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The address an IP literal stands for, or null for a host name (never a DNS look-up). */
    private static InetAddress literal(String text) {
        boolean ipv4 = IPV4.matcher(text).matches();
        boolean ipv6 = text.indexOf(':') >= 0
                && text.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        if (!ipv4 && !ipv6) {
            return null;
        }
        try {
            return InetAddress.getByName(text); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Proxies by host and port only; the password stays out. */
    @Override
    public String toString() {
        return "ProxySettings[http=" + (http == null ? "none" : http) + ", https=" + (https == null ? "none" : https)
                + ", noProxy=" + noProxy + "]";
    }
}
