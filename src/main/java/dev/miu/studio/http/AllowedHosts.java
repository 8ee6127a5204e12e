package dev.miu.studio.http;

import dev.miu.config.ServerSettings;
import dev.miu.core.ConfigurationException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The host names a request's {@code Host} header may carry: the studio's guard against DNS rebinding, where a page
 * on an attacker's domain re-resolves that domain to 127.0.0.1 and so becomes "same-origin" with the studio. Such
 * a browser still sends the attacker's name as {@code Host}, so only names the studio knows are its own pass.
 * <p>
 * Always allowed: {@code localhost} and names under {@code .localhost} (browsers resolve them to loopback
 * themselves), IP addresses (a page served from an address cannot be rebound) and the name the server is bound
 * to. {@code server.allowed-hosts} adds names; an entry starting with {@code .} or {@code *.} allows that domain
 * and every name under it; {@code *} allows any host. The port in the header does not matter. A request without
 * a {@code Host} header (an HTTP/1.0 tool) did not come from a browser and passes.
 *
 * @param any     every host is allowed ({@code *})
 * @param names   exact names allowed, lower case
 * @param domains names allowed with every name under them, lower case
 */
public record AllowedHosts(boolean any, Set<String> names, Set<String> domains) {

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+(%[0-9a-z._~-]+)?");
    private static final Pattern NAME =
            Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
    private static final int SHOWN_HOST_CHARS = 100;

    public AllowedHosts {
        names = Collections.unmodifiableSet(new LinkedHashSet<>(names)); // in order, for the banner
        domains = Collections.unmodifiableSet(new LinkedHashSet<>(domains));
    }

    /** The hosts {@code server} accepts: the defaults, its bound host and {@code server.allowed-hosts}. */
    public static AllowedHosts of(ServerSettings server) {
        Set<String> names = new LinkedHashSet<>();
        Set<String> domains = new LinkedHashSet<>();
        domains.add("localhost");
        String bound = hostName(server.host());
        if (bound != null && NAME.matcher(bound).matches() && !isIpLiteral(bound) && !underDomain(bound, domains)) {
            names.add(bound); // 0.0.0.0, :: and other addresses are covered as IP literals
        }
        boolean any = false;
        for (String entry : server.allowedHosts()) {
            String e = entry.strip().toLowerCase(Locale.ROOT);
            if (e.equals("*")) {
                any = true;
                continue;
            }
            boolean domain = e.startsWith(".") || e.startsWith("*.");
            String name = hostName(domain ? e.substring(e.indexOf('.') + 1) : e);
            if (name == null || !(NAME.matcher(name).matches() || isIpLiteral(name))) {
                throw new ConfigurationException("server.allowed-hosts: '" + entry + "' is not a host name (give names "
                        + "like studio.example.com, .example.com for a whole domain, or * for any host)");
            }
            if (!isIpLiteral(name)) {
                (domain ? domains : names).add(name);
            }
        }
        return new AllowedHosts(any, names, domains);
    }

    /** Whether a request with this {@code Host} header value may be served. */
    public boolean allows(Optional<String> hostHeader) {
        if (any || hostHeader.isEmpty()) {
            return true;
        }
        String name = hostName(hostHeader.get());
        if (name == null) {
            return false;
        }
        if (isIpLiteral(name) || names.contains(name)) {
            return true;
        }
        return underDomain(name, domains);
    }

    private static boolean underDomain(String name, Set<String> domains) {
        for (String d : domains) {
            if (name.equals(d) || name.endsWith("." + d)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code detail} of a refused request. */
    public static String refusal(Optional<String> hostHeader) {
        String host = hostHeader.orElse("");
        if (host.length() > SHOWN_HOST_CHARS) {
            host = host.substring(0, SHOWN_HOST_CHARS) + "…";
        }
        return "Host '" + host + "' is not allowed: if this server is meant to be reached by that name, add it to "
                + "server.allowed-hosts (MIU_ALLOWED_HOSTS)";
    }

    /** For the start-up banner. */
    public String describe() {
        if (any) {
            return "any host";
        }
        List<String> shown = new ArrayList<>();
        shown.add("localhost");
        shown.add("IP addresses");
        names.forEach(shown::add);
        domains.stream().filter(d -> !d.equals("localhost")).map(d -> "*." + d).forEach(shown::add);
        return String.join(", ", shown);
    }

    /**
     * The host name of a Host header value or configured host, lower case, without port or trailing dot;
     * an IPv6 address without its brackets; {@code null} if it is not well formed.
     */
    static String hostName(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        String name;
        String rest;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0) {
                return null;
            }
            name = v.substring(1, end);
            rest = v.substring(end + 1);
            if (!IPV6.matcher(name).matches() || !name.contains(":")) {
                return null;
            }
        } else {
            int colon = v.indexOf(':');
            if (colon >= 0 && v.indexOf(':', colon + 1) >= 0) {
                // a bare IPv6 address: a configured host may be one; a Host header needs brackets
                return IPV6.matcher(v).matches() ? v : null;
            }
            name = colon < 0 ? v : v.substring(0, colon);
            rest = colon < 0 ? "" : v.substring(colon);
            if (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
        }
        if (!rest.isEmpty() && !rest.matches(":\\d{1,5}")) {
            return null;
        }
        return name.isEmpty() ? null : name;
    }

    private static boolean isIpLiteral(String name) {
        return IPV4.matcher(name).matches()
                || (name.contains(":") && IPV6.matcher(name).matches());
    }
}
