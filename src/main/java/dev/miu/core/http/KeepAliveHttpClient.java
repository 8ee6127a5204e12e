package dev.miu.core.http;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * A blocking HTTP/1.1 client over plain or TLS sockets with a keep-alive pool per origin. Made for virtual threads:
 * the calling thread does the I/O itself, so a call costs a few system calls and no thread hand-offs, and
 * interrupting the thread closes its socket. The read timeout applies to every read, so it bounds both the wait for
 * the response head and silence inside a streamed body. No proxies, redirects or compression: provider APIs need
 * none of them.
 */
public final class KeepAliveHttpClient implements AutoCloseable {

    /** A pooled connection idle longer than this is closed rather than reused (servers drop idle ones around 60 s). */
    private static final long MAX_IDLE_NANOS = Duration.ofSeconds(30).toNanos();

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int maxIdlePerOrigin;
    private volatile SSLContext tls;
    private final Map<String, LinkedBlockingDeque<Connection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public KeepAliveHttpClient(Duration connectTimeout, Duration readTimeout, int maxIdlePerOrigin) {
        this(connectTimeout, readTimeout, maxIdlePerOrigin, null);
    }

    /** With a given TLS context (tests trust their own certificate this way); null for the JDK's default, loaded when first needed. */
    public KeepAliveHttpClient(Duration connectTimeout, Duration readTimeout, int maxIdlePerOrigin, SSLContext tls) {
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("HTTP timeouts must be positive");
        }
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.maxIdlePerOrigin = Math.max(0, maxIdlePerOrigin);
        this.tls = tls;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    /**
     * Sends a request and reads the response head; the body is left to the caller. A pooled connection the server
     * has closed in the meantime is detected by the failed exchange and replaced once, before any response byte.
     *
     * @throws ConnectException       the server could not be reached (the message names host and port)
     * @throws SocketTimeoutException no connection or no response head within the timeouts
     */
    public HttpResponse send(HttpRequest request) throws IOException {
        if (closed) {
            throw new IOException("HTTP client closed");
        }
        URI uri = request.uri();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : (https ? 443 : 80);
        String host = uri.getHost();
        String origin = (https ? "https://" : "http://") + host.toLowerCase(Locale.ROOT) + ":" + port;
        byte[] head = head(request, host, port, https);
        while (true) {
            Connection connection = pooled(origin);
            boolean fresh = connection == null;
            if (fresh) {
                connection = connect(origin, host, port, https);
            }
            try {
                OutputStream out = connection.out;
                out.write(head);
                if (request.body() != null) {
                    out.write(request.body());
                }
                out.flush();
                return readResponse(connection);
            } catch (IOException e) {
                connection.close();
                boolean stale = !fresh && (e instanceof EOFException || e instanceof java.net.SocketException)
                        && !Thread.currentThread().isInterrupted();
                if (stale) {
                    continue; // the server closed the pooled connection: try again on a new one
                }
                if (e instanceof SocketTimeoutException) {
                    throw timeout("no response within " + describe(readTimeout), e);
                }
                throw e;
            }
        }
    }

    private HttpResponse readResponse(Connection connection) throws IOException {
        while (true) {
            String statusLine = HeadReader.line(connection.in);
            // "HTTP/1.1 200 OK"
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
                throw new IOException("not an HTTP/1.x response: '" + HeadReader.printable(statusLine) + "'");
            }
            int status;
            try {
                status = Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("bad status line: '" + HeadReader.printable(statusLine) + "'");
            }
            Map<String, List<String>> headers = readHeaders(connection);
            if (status >= 100 && status < 200) {
                continue; // 100 Continue and other interim answers come before the real one
            }
            boolean http11 = statusLine.startsWith("HTTP/1.1");
            String connectionHeader = first(headers, "connection").toLowerCase(Locale.ROOT);
            boolean keepAlive = http11 ? !connectionHeader.contains("close") : connectionHeader.contains("keep-alive");
            String transferEncoding = first(headers, "transfer-encoding").toLowerCase(Locale.ROOT);
            String contentLength = first(headers, "content-length");
            ResponseBody.Framing framing;
            long length = 0;
            if (status == 204 || status == 304) {
                framing = ResponseBody.Framing.EMPTY;
            } else if (transferEncoding.contains("chunked")) {
                framing = ResponseBody.Framing.CHUNKED;
            } else if (!contentLength.isEmpty()) {
                framing = ResponseBody.Framing.LENGTH;
                try {
                    length = Long.parseLong(contentLength.strip());
                } catch (NumberFormatException e) {
                    length = -1;
                }
                if (length < 0) {
                    throw new IOException("bad Content-Length in the response: " + HeadReader.printable(contentLength));
                }
            } else {
                framing = ResponseBody.Framing.UNTIL_CLOSE;
            }
            connection.reused = true;
            var body = new ResponseBody(connection, framing, length, keepAlive, this::release, readTimeout);
            return new HttpResponse(status, headers, body);
        }
    }

    private static Map<String, List<String>> readHeaders(Connection connection) throws IOException {
        Map<String, List<String>> headers = new HashMap<>();
        for (int i = 0; i <= HeadReader.MAX_HEADERS; i++) {
            String line = HeadReader.line(connection.in);
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line in the response: '" + HeadReader.printable(line) + "'");
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(name, n -> new ArrayList<>(1)).add(line.substring(colon + 1).strip());
        }
        throw new IOException("more than " + HeadReader.MAX_HEADERS + " headers in the response");
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? "" : String.join(",", values);
    }

    private static byte[] head(HttpRequest request, String host, int port, boolean https) {
        URI uri = request.uri();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        var sb = new StringBuilder(256).append(request.method()).append(' ').append(path).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(host.contains(":") ? "[" + host + "]" : host);
        if (port != (https ? 443 : 80)) {
            sb.append(':').append(port);
        }
        sb.append("\r\n");
        for (HttpRequest.Header h : request.headers()) {
            sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        if (request.body() != null) {
            sb.append("Content-Length: ").append(request.body().length).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Connection pooled(String origin) {
        LinkedBlockingDeque<Connection> deque = idle.get(origin);
        if (deque == null) {
            return null;
        }
        Connection c;
        long now = System.nanoTime();
        // the least recently used end holds the ones a busy pool no longer needs: close those past their idle time
        while ((c = deque.peekLast()) != null && now - c.idleSince >= MAX_IDLE_NANOS && deque.removeLastOccurrence(c)) {
            c.close();
        }
        while ((c = deque.pollFirst()) != null) {
            if (now - c.idleSince < MAX_IDLE_NANOS && !c.socket.isClosed()) {
                return c;
            }
            c.close();
        }
        return null;
    }

    /** A connection whose response was read to its end, back into the pool (most recent first). */
    private void release(Connection connection) {
        if (closed || maxIdlePerOrigin == 0) {
            connection.close();
            return;
        }
        connection.idleSince = System.nanoTime();
        var deque = idle.computeIfAbsent(connection.origin, o -> new LinkedBlockingDeque<>(maxIdlePerOrigin));
        if (!deque.offerFirst(connection)) {
            connection.close();
        }
    }

    private Connection connect(String origin, String host, int port, boolean https) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            socket.setSoTimeout(millis(readTimeout));
            if (https) {
                SSLSocket ssl = (SSLSocket) tls().getSocketFactory().createSocket(socket, host, port, true);
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // check the certificate names this host
                parameters.setApplicationProtocols(new String[]{"http/1.1"});
                ssl.setSSLParameters(parameters);
                ssl.startHandshake();
                socket = ssl;
            }
            return new Connection(origin, socket);
        } catch (SocketTimeoutException e) {
            close(socket);
            throw timeout("connection to " + host + ":" + port + " timed out", e);
        } catch (ConnectException e) {
            close(socket);
            var refused = new ConnectException("could not connect to " + host + ":" + port);
            refused.initCause(e);
            throw refused;
        } catch (IOException | RuntimeException e) {
            close(socket);
            throw e;
        }
    }

    static int millis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** "30 s", or "300 ms" below a second. */
    static String describe(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    private static SocketTimeoutException timeout(String message, Exception cause) {
        var e = new SocketTimeoutException(message);
        e.initCause(cause);
        return e;
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    private SSLContext tls() {
        try {
            if (tls == null) {
                tls = SSLContext.getDefault();
            }
            return tls;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("No TLS support in this JDK", e);
        }
    }

    /** Closes the idle connections; calls in flight finish on theirs, which are then closed. */
    @Override
    public void close() {
        closed = true;
        for (var deque : idle.values()) {
            Connection c;
            while ((c = deque.pollFirst()) != null) {
                c.close();
            }
        }
    }
}
