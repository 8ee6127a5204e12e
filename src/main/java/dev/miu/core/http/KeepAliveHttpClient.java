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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * The one HTTP client of miu's core: provider calls and MCP's Streamable HTTP. A blocking HTTP/1.1 client over plain
 * or TLS sockets with a keep-alive pool per origin, made for virtual threads: the calling thread does the I/O itself,
 * so a call costs a few system calls and no thread hand-offs, and interrupting the thread closes its socket. The read
 * timeout applies to every read, so it bounds both the wait for the response head and silence inside a streamed body.
 *
 * <p>For company networks it goes through the proxies of {@link ProxySettings} ({@code HTTPS_PROXY},
 * {@code HTTP_PROXY}, {@code NO_PROXY}): https through a {@code CONNECT} tunnel (TLS still checks the target's
 * certificate and host name end to end), http by sending the absolute URL to the proxy, with basic proxy
 * authentication from the proxy URL's user-info. It asks for gzip and decodes it (streams too). It follows no
 * redirect: a 3xx answer is a {@link RedirectException} naming the status and the {@code Location}, because a
 * provider or MCP URL that moved should be corrected where it is configured, not followed with the API key.
 *
 * <p>Why not Helidon's WebClient, which is on the class path and has proxies of its own: measured on a provider
 * round trip against a canned Anthropic server in another process ({@code dev.miu.bench.HttpClientBench}: 10,000
 * plain and 10,000 streamed calls per client, from 1 and from 16 callers, medians of 5 alternating rounds, 2 cores,
 * 2026-12-06), WebClient took 1.5 to 2.8 times as long per call at the median (one caller: 165 against 61 µs plain,
 * 187 against 67 µs streamed; 16 callers: 818 against 334 µs, 863 against 557 µs), 1.5 to 2 times the CPU of the
 * calling threads (46 to 55 against 24 to 38 µs a call) and 2 to 5 times the CPU of the whole process (69 to 177
 * against 28 to 40 µs); callers on virtual threads, measured while the machine was busier, showed the same order
 * with a smaller gap (+20 to +55 µs at the median for one caller). That extra latency alone would spend much of
 * issue 22's +0.15 ms budget for added latency; proxies, redirects and gzip cost this client about 450 lines with
 * their documentation.
 */
public final class KeepAliveHttpClient implements AutoCloseable {

    /** A pooled connection idle longer than this is closed rather than reused (servers drop idle ones around 60 s). */
    private static final long MAX_IDLE_NANOS = Duration.ofSeconds(30).toNanos();

    /** Answers that point elsewhere; 304 (not modified) is not one, and miu sends no conditional requests anyway. */
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int maxIdlePerOrigin;
    private final ProxySettings proxies;
    private volatile SSLContext tls;
    private final Map<String, LinkedBlockingDeque<Connection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public KeepAliveHttpClient(Duration connectTimeout, Duration readTimeout, int maxIdlePerOrigin) {
        this(connectTimeout, readTimeout, maxIdlePerOrigin, null);
    }

    /** With a given TLS context (tests trust their own certificate this way); null for the JDK's default, loaded when first needed. */
    public KeepAliveHttpClient(Duration connectTimeout, Duration readTimeout, int maxIdlePerOrigin, SSLContext tls) {
        this(connectTimeout, readTimeout, maxIdlePerOrigin, tls, ProxySettings.NONE);
    }

    /**
     * @param readTimeout bounds every read; {@link Duration#ZERO} for none (an MCP server's event stream may be
     *                    silent for hours), a request may set its own
     * @param tls         null for the JDK's default context, loaded when first needed
     * @param proxies     where to send requests that must go through a proxy
     */
    public KeepAliveHttpClient(
            Duration connectTimeout,
            Duration readTimeout,
            int maxIdlePerOrigin,
            SSLContext tls,
            ProxySettings proxies) {
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative()) {
            throw new IllegalArgumentException("HTTP timeouts must be positive (a read timeout may be zero: none)");
        }
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.maxIdlePerOrigin = Math.max(0, maxIdlePerOrigin);
        this.tls = tls;
        this.proxies = proxies;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    /**
     * Sends a request and reads the response head; the body is left to the caller. A pooled connection the server
     * has closed in the meantime is detected by the failed exchange and replaced once, before any response byte.
     *
     * @throws ConnectException       the server (or the proxy) could not be reached (the message names host and port)
     * @throws SocketTimeoutException no connection or no response head within the timeouts
     * @throws RedirectException      the answer was a redirect, which is not followed
     */
    public HttpResponse send(HttpRequest request) throws IOException {
        if (closed) {
            throw new IOException("HTTP client closed");
        }
        URI uri = request.uri();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : (https ? 443 : 80);
        String host = uri.getHost();
        ProxySettings.Proxy proxy = proxies.proxyFor(host, https);
        String origin = (https ? "https://" : "http://") + host.toLowerCase(Locale.ROOT) + ":" + port
                + (proxy == null ? "" : " via " + proxy);
        Duration timeout = request.readTimeout() != null ? request.readTimeout() : readTimeout;
        byte[] head = head(request, host, port, https, https ? null : proxy);
        HttpResponse response;
        while (true) {
            Connection connection = pooled(origin);
            boolean fresh = connection == null;
            if (fresh) {
                connection = connect(origin, host, port, https, proxy);
            }
            try {
                connection.socket.setSoTimeout(millis(timeout));
                OutputStream out = connection.out;
                out.write(head);
                if (request.body() != null) {
                    out.write(request.body());
                }
                out.flush();
                response = readResponse(connection, timeout);
                break;
            } catch (IOException e) {
                connection.close();
                boolean stale = !fresh
                        && (e instanceof EOFException || e instanceof java.net.SocketException)
                        && !Thread.currentThread().isInterrupted();
                if (stale) {
                    continue; // the server closed the pooled connection: try again on a new one
                }
                if (e instanceof SocketTimeoutException) {
                    throw timeout("no response within " + describe(timeout), e);
                }
                throw e;
            }
        }
        if (REDIRECTS.contains(response.status())) {
            String location = response.header("location").orElse(null);
            response.close();
            throw new RedirectException(request, response.status(), location);
        }
        return response;
    }

    private HttpResponse readResponse(Connection connection, Duration timeout) throws IOException {
        while (true) {
            String statusLine = HeadReader.line(connection.in);
            int status = status(statusLine);
            Map<String, List<String>> headers = readHeaders(connection.in);
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
            var body = new ResponseBody(connection, framing, length, keepAlive, this::release, timeout);
            boolean empty =
                    framing == ResponseBody.Framing.EMPTY || (framing == ResponseBody.Framing.LENGTH && length == 0);
            boolean gzip = !empty && first(headers, "content-encoding").strip().equalsIgnoreCase("gzip");
            return new HttpResponse(status, headers, body, gzip);
        }
    }

    /** The status code of an HTTP/1.x status line such as "HTTP/1.1 200 OK". */
    private static int status(String statusLine) throws IOException {
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new IOException("not an HTTP/1.x response: '" + HeadReader.printable(statusLine) + "'");
        }
        try {
            return Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: '" + HeadReader.printable(statusLine) + "'");
        }
    }

    private static Map<String, List<String>> readHeaders(java.io.InputStream in) throws IOException {
        Map<String, List<String>> headers = new HashMap<>();
        for (int i = 0; i <= HeadReader.MAX_HEADERS; i++) {
            String line = HeadReader.line(in);
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line in the response: '" + HeadReader.printable(line) + "'");
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(name, n -> new ArrayList<>(1))
                    .add(line.substring(colon + 1).strip());
        }
        throw new IOException("more than " + HeadReader.MAX_HEADERS + " headers in the response");
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? "" : String.join(",", values);
    }

    /** The request line and headers; through an http proxy ({@code httpProxy}) the target is the absolute URL. */
    private static byte[] head(
            HttpRequest request, String host, int port, boolean https, ProxySettings.Proxy httpProxy) {
        URI uri = request.uri();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        String authority = authority(host, port, https);
        String target = httpProxy == null ? path : "http://" + authority + path;
        var sb = new StringBuilder(256)
                .append(request.method())
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(authority).append("\r\n");
        if (httpProxy != null && httpProxy.authorization() != null) {
            sb.append("Proxy-Authorization: ").append(httpProxy.authorization()).append("\r\n");
        }
        if (!request.hasHeader("accept-encoding")) {
            sb.append("Accept-Encoding: gzip\r\n");
        }
        for (HttpRequest.Header h : request.headers()) {
            sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        if (request.body() != null) {
            sb.append("Content-Length: ").append(request.body().length).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** "host" or "host:port" as in a Host header (the port only when it is not the scheme's default). */
    private static String authority(String host, int port, boolean https) {
        String name = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return port == (https ? 443 : 80) ? name : name + ":" + port;
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

    private Connection connect(String origin, String host, int port, boolean https, ProxySettings.Proxy proxy)
            throws IOException {
        String dialHost = proxy == null ? host : proxy.host();
        int dialPort = proxy == null ? port : proxy.port();
        String what = proxy == null ? host + ":" + port : "the proxy " + proxy + " (for " + host + ":" + port + ")";
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(dialHost, dialPort), (int)
                    Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            socket.setSoTimeout(millis(connectTimeout)); // the tunnel and the TLS handshake are part of connecting
            if (https) {
                if (proxy != null) {
                    tunnel(socket, host, port, proxy);
                }
                SSLSocket ssl = (SSLSocket) tls().getSocketFactory().createSocket(socket, host, port, true);
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // check the certificate names this host
                parameters.setApplicationProtocols(new String[] {"http/1.1"});
                ssl.setSSLParameters(parameters);
                ssl.startHandshake();
                socket = ssl;
            }
            return new Connection(origin, socket);
        } catch (SocketTimeoutException e) {
            close(socket);
            throw timeout("connection to " + what + " timed out", e);
        } catch (ConnectException e) {
            close(socket);
            var refused = new ConnectException("could not connect to " + what);
            refused.initCause(e);
            throw refused;
        } catch (IOException | RuntimeException e) {
            close(socket);
            throw e;
        }
    }

    /**
     * Asks the proxy for a tunnel to {@code host:port} ({@code CONNECT}); TLS to the target then runs inside it. Read
     * byte by byte from the socket: nothing of the tunnel's own traffic may end up in a buffer here.
     */
    private static void tunnel(Socket socket, String host, int port, ProxySettings.Proxy proxy) throws IOException {
        String target = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        var sb = new StringBuilder(128)
                .append("CONNECT ")
                .append(target)
                .append(" HTTP/1.1\r\nHost: ")
                .append(target)
                .append("\r\n");
        if (proxy.authorization() != null) {
            sb.append("Proxy-Authorization: ").append(proxy.authorization()).append("\r\n");
        }
        sb.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        java.io.InputStream in = socket.getInputStream();
        String statusLine;
        try {
            statusLine = HeadReader.line(in);
        } catch (EOFException e) {
            throw new IOException(
                    "the proxy " + proxy + " closed the connection instead of answering CONNECT " + target, e);
        }
        int status = status(statusLine);
        readHeaders(in);
        if (status / 100 != 2) {
            String hint = status == 407
                    ? (proxy.authorization() == null
                            ? " (the proxy wants a user and password: http://USER:PASSWORD@host:port in HTTPS_PROXY)"
                            : " (check the user and password in HTTPS_PROXY)")
                    : "";
            throw new ProxyException(
                    status,
                    "the proxy " + proxy + " refused CONNECT " + target + ": "
                            + HeadReader.printable(statusLine.substring(9)) + hint);
        }
    }

    /** A socket timeout: 0 (none) for a zero duration, else at least 1 ms. */
    static int millis(Duration timeout) {
        return timeout.isZero() ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
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
