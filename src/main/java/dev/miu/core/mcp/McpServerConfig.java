package dev.miu.core.mcp;

import dev.miu.core.http.ProxySettings;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** How to reach one MCP server: run it as a child process, or talk Streamable HTTP to a URL. */
public sealed interface McpServerConfig {

    /**
     * A server started as a child process speaking JSON-RPC on its stdin/stdout.
     *
     * @param env variables added to (or overriding) miu's own environment for the child
     */
    record Stdio(String command, List<String> args, Map<String, String> env) implements McpServerConfig {
        public Stdio {
            Objects.requireNonNull(command, "command");
            if (command.isBlank()) {
                throw new IllegalArgumentException("command must not be blank");
            }
            args = List.copyOf(args == null ? List.of() : args);
            env = Map.copyOf(env == null ? Map.of() : env);
        }
    }

    /**
     * A server reached over MCP Streamable HTTP at one endpoint URL.
     *
     * @param headers sent on every request, e.g. {@code Authorization: Bearer ...}
     * @param proxy   the proxies of the environment ({@code HTTPS_PROXY}, {@code NO_PROXY}, ...)
     */
    record Http(URI url, Map<String, String> headers, ProxySettings proxy) implements McpServerConfig {
        public Http {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("url must be http:// or https://, got " + url);
            }
            headers = Map.copyOf(headers == null ? Map.of() : headers);
            proxy = proxy == null ? ProxySettings.NONE : proxy;
        }

        /** Reached directly, without a proxy. */
        public Http(URI url, Map<String, String> headers) {
            this(url, headers, ProxySettings.NONE);
        }
    }

    /** "stdio" or "http", as shown in status reports. */
    default String transport() {
        return switch (this) {
            case Stdio s -> "stdio";
            case Http h -> "http";
        };
    }

    /** What to show a person: the command line or the URL (never header values, which may hold secrets). */
    default String target() {
        return switch (this) {
            case Stdio s -> s.args().isEmpty() ? s.command() : s.command() + " " + String.join(" ", s.args());
            case Http h -> h.url().toString();
        };
    }
}
