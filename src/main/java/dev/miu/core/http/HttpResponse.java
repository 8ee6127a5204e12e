package dev.miu.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * A response whose body is read as it arrives (gzip already decoded). Reading the body to its end hands the
 * connection back to the pool; closing the response earlier closes the connection. Always close it.
 */
public final class HttpResponse implements AutoCloseable {

    private final int status;
    private final Map<String, List<String>> headers;
    private final ResponseBody raw;
    private final InputStream body;

    HttpResponse(int status, Map<String, List<String>> headers, ResponseBody raw, boolean gzip) {
        this.status = status;
        this.headers = headers;
        this.raw = raw;
        this.body = gzip ? new Gunzip(raw) : raw;
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

    /** The body, decoded when it came gzip-encoded. */
    public InputStream body() {
        return body;
    }

    /**
     * Closes the connection at once, from any thread: a read in progress on it fails. For giving up on a stream
     * another thread is blocked in (an MCP request that is no longer awaited); {@link #close()} is for the reader.
     */
    public void abort() {
        raw.abort();
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            raw.abort();
        }
    }

    /**
     * A gzip body decoded as it arrives. The decoder is made at the first read, since it reads the gzip header
     * straight away and a stream may send nothing for a long while; its buffer is small so that an event the
     * server flushed is passed on without waiting for more.
     */
    private static final class Gunzip extends InputStream {

        private final ResponseBody raw;
        private GZIPInputStream decoder;

        Gunzip(ResponseBody raw) {
            this.raw = raw;
        }

        private GZIPInputStream decoder() throws IOException {
            if (decoder == null) {
                decoder = new GZIPInputStream(raw, 4096);
            }
            return decoder;
        }

        @Override
        public int read() throws IOException {
            return decoder().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return decoder().read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (decoder != null) {
                decoder.close(); // frees the inflater and closes the raw body
            } else {
                raw.close();
            }
        }
    }
}
