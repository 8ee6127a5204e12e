package dev.miu.core.http;

import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A response whose body is read as it arrives. Reading the body to its end hands the connection back to the pool;
 * closing the response earlier closes the connection. Always close it.
 */
public final class HttpResponse implements AutoCloseable {

    private final int status;
    private final Map<String, List<String>> headers;
    private final ResponseBody body;

    HttpResponse(int status, Map<String, List<String>> headers, ResponseBody body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    public int status() {
        return status;
    }

    /** The first value of a header (names are case-insensitive). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** Every header, names lower-cased. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    public InputStream body() {
        return body;
    }

    @Override
    public void close() {
        body.close();
    }
}
