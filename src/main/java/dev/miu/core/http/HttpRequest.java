package dev.miu.core.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An outgoing request. Header names and values are checked here, so a value from configuration (an API key with a
 * stray newline) cannot split the request.
 *
 * @param method      GET, POST or DELETE
 * @param body        the bytes to send, or null for none
 * @param readTimeout bounds each read of this request's answer instead of the client's own; null for the client's,
 *                    {@link Duration#ZERO} for none
 */
public record HttpRequest(String method, URI uri, List<Header> headers, byte[] body, Duration readTimeout) {

    private static final Set<String> METHODS = Set.of("GET", "POST", "DELETE");

    /** One request header. */
    public record Header(String name, String value) {
        public Header {
            if (name == null || name.isEmpty() || !name.chars().allMatch(Header::tokenChar)) {
                throw new IllegalArgumentException("Invalid HTTP header name: " + name);
            }
            if (value == null || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new IllegalArgumentException("Invalid value for HTTP header " + name + " (line break or NUL)");
            }
        }

        private static boolean tokenChar(int c) {
            return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
        }
    }

    public HttpRequest {
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("Unsupported HTTP method: " + method);
        }
        if (readTimeout != null && readTimeout.isNegative()) {
            throw new IllegalArgumentException("A read timeout cannot be negative");
        }
        if (uri == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("Not an http(s) URL with a host: " + uri);
        }
        headers = List.copyOf(headers);
    }

    /** A POST of a JSON body. */
    public static HttpRequest postJson(URI uri, String json) {
        return new HttpRequest(
                "POST",
                uri,
                List.of(new Header("content-type", "application/json")),
                json.getBytes(StandardCharsets.UTF_8),
                null);
    }

    /** A GET. */
    public static HttpRequest get(URI uri) {
        return new HttpRequest("GET", uri, List.of(), null, null);
    }

    /** A DELETE without a body. */
    public static HttpRequest delete(URI uri) {
        return new HttpRequest("DELETE", uri, List.of(), null, null);
    }

    /** This request with one more header. */
    public HttpRequest withHeader(String name, String value) {
        List<Header> more = new ArrayList<>(headers.size() + 1);
        more.addAll(headers);
        more.add(new Header(name, value));
        return new HttpRequest(method, uri, more, body, readTimeout);
    }

    /** This request with its own read timeout ({@link Duration#ZERO}: wait as long as it takes). */
    public HttpRequest withReadTimeout(Duration timeout) {
        return new HttpRequest(method, uri, headers, body, timeout);
    }

    /** Whether a header of this name is set (names are case-insensitive). */
    public boolean hasHeader(String name) {
        return headers.stream().anyMatch(h -> h.name().equalsIgnoreCase(name));
    }

    /** The URI without its query, for messages: a query may hold a secret. */
    @Override
    public String toString() {
        return method() + " " + uri.getScheme() + "://" + uri.getAuthority() + uri.getRawPath();
    }
}
