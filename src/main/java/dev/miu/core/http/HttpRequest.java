package dev.miu.core.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An outgoing request: a POST when it has a body, a GET when not. Header names and values are checked here, so a
 * value from configuration (an API key with a stray newline) cannot split the request.
 */
public record HttpRequest(URI uri, List<Header> headers, byte[] body) {

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
        if (uri == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("Not an http(s) URL with a host: " + uri);
        }
        headers = List.copyOf(headers);
    }

    /** A POST of a JSON body. */
    public static HttpRequest postJson(URI uri, String json) {
        return new HttpRequest(uri, List.of(new Header("content-type", "application/json")),
                json.getBytes(StandardCharsets.UTF_8));
    }

    /** A GET. */
    public static HttpRequest get(URI uri) {
        return new HttpRequest(uri, List.of(), null);
    }

    /** This request with one more header. */
    public HttpRequest withHeader(String name, String value) {
        List<Header> more = new ArrayList<>(headers.size() + 1);
        more.addAll(headers);
        more.add(new Header(name, value));
        return new HttpRequest(uri, more, body);
    }

    public String method() {
        return body == null ? "GET" : "POST";
    }

    /** The URI without its query, for messages: a query may hold a secret. */
    @Override
    public String toString() {
        return method() + " " + uri.getScheme() + "://" + uri.getAuthority() + uri.getRawPath();
    }
}
