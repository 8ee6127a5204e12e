package dev.miu.studio.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The listener's only connection selector: every connection is HTTP/1 (with its WebSocket upgrade), and the studio
 * sees each one from the moment it is accepted.
 * <p>
 * Helidon 4.5.0 reads a connection's first bytes before it hands it to a protocol when it has more than one to
 * choose from, and keeps a connection it is still identifying out of its idle check, so a client that connects and
 * says nothing held a socket for ever. With a single selector Helidon hands the connection over at once. The
 * connection reads the socket through {@link ConnectionWatch}, which sees when a request head starts and times it
 * out, and answers HTTP/1.0 requests (Helidon answers them 505) by reading the first request line as HTTP/1.1 with
 * {@code Connection: close}.
 */
public final class Http1Connections implements ServerConnectionSelector {

    private static final byte[] HTTP_10 = " HTTP/1.0\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Http1ConnectionSelector http1;
    private final ConnectionWatch watch;

    public Http1Connections(Http1ConnectionSelector http1, ConnectionWatch watch) {
        this.http1 = http1;
        this.watch = watch;
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData request) {
        return Support.SUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        HelidonSocket socket = ctx.serverSocket();
        ConnectionWatch.Watched watched = watch.add(ctx);
        if (watched == null) {
            return new Refused(ctx);
        }
        // what Helidon read to pick a protocol, when it had more than one selector to ask (as under test)
        DataReader listenerReader = ctx.dataReader();
        byte[][] buffered = {
            listenerReader.available() > 0 ? listenerReader.readBytes(listenerReader.available()) : null
        };
        var inbound = new FirstLine(
                () -> {
                    byte[] first = buffered[0];
                    if (first != null) {
                        buffered[0] = null;
                        watched.received();
                        return first;
                    }
                    return read(socket, watched);
                },
                () -> hostPort(ctx.localPeer().host(), ctx.localPeer().port()),
                ctx);
        var writer = new TimedWriter(ctx.dataWriter(), new java.util.concurrent.atomic.AtomicLong(System.nanoTime()));
        ServerConnection connection = http1.connection(new Context(ctx, DataReader.create(inbound), inbound, writer));
        return new Connection(connection, watched);
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static byte[] read(HelidonSocket socket, ConnectionWatch.Watched watched) {
        byte[] bytes;
        try {
            bytes = socket.get();
        } catch (UncheckedIOException e) {
            throw new ServerConnectionException("Failed to get data from socket", e);
        }
        if (bytes != null) {
            watched.received();
        }
        return bytes;
    }

    /**
     * Passes the socket's bytes on, rewriting an HTTP/1.0 request's head (the connection closes after it): version
     * 1.1, {@code Connection: close}, and the server's own address as {@code Host} when it has none (optional in 1.0,
     * required in 1.1).
     */
    private static final class FirstLine implements java.util.function.Supplier<byte[]> {

        private static final int MAX_HEAD = 16 * 1024;

        private final java.util.function.Supplier<byte[]> source;
        private final java.util.function.Supplier<String> localHost;
        private final ConnectionContext ctx;
        private byte[] head = new byte[0];
        private boolean checked;
        private volatile WsFrameCheck ws;

        FirstLine(
                java.util.function.Supplier<byte[]> source,
                java.util.function.Supplier<String> localHost,
                ConnectionContext ctx) {
            this.source = source;
            this.localHost = localHost;
            this.ctx = ctx;
        }

        /** Checks the client's WebSocket frames once the connection is upgraded. */
        void webSocket() {
            ws = new WsFrameCheck();
        }

        @Override
        public byte[] get() {
            if (checked) {
                byte[] bytes = source.get();
                WsFrameCheck check = ws;
                if (check != null && bytes != null) {
                    try {
                        check.check(bytes);
                    } catch (WsFrameCheck.Violation v) {
                        closeWebSocket(ctx, v.code(), v.getMessage());
                        throw new CloseConnectionException("WebSocket closed " + v.code() + ": " + v.getMessage());
                    }
                }
                return bytes;
            }
            byte[] bytes = source.get();
            if (bytes == null) {
                checked = true;
                return head.length == 0 ? null : head;
            }
            head = concat(head, bytes);
            int lf = indexOf(head, (byte) '\n');
            if (lf < 0 && head.length < MAX_HEAD) {
                return get(); // the request line is not complete yet
            }
            boolean http10 = lf > HTTP_10.length && endsWith(head, lf + 1, HTTP_10);
            String text = new String(head, StandardCharsets.ISO_8859_1);
            int headEnd = text.indexOf("\r\n\r\n");
            if (http10 && headEnd < 0 && head.length < MAX_HEAD) {
                return get(); // an HTTP/1.0 head is read whole, to see whether it names a Host
            }
            checked = true;
            byte[] all = head;
            head = null;
            if (!http10) {
                return all;
            }
            boolean hasHost = text.substring(0, headEnd < 0 ? text.length() : headEnd)
                    .toLowerCase(java.util.Locale.ROOT)
                    .contains("\nhost:");
            String added = " HTTP/1.1\r\nConnection: close\r\n" + (hasHost ? "" : "Host: " + localHost.get() + "\r\n");
            return (text.substring(0, lf + 1 - HTTP_10.length) + added + text.substring(lf + 1))
                    .getBytes(StandardCharsets.ISO_8859_1);
        }

        private static byte[] concat(byte[] a, byte[] b) {
            if (a.length == 0) {
                return b;
            }
            byte[] out = new byte[a.length + b.length];
            System.arraycopy(a, 0, out, 0, a.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }

        private static int indexOf(byte[] bytes, byte b) {
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == b) {
                    return i;
                }
            }
            return -1;
        }

        private static boolean endsWith(byte[] bytes, int end, byte[] suffix) {
            for (int i = 0; i < suffix.length; i++) {
                if (bytes[end - suffix.length + i] != suffix[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A connection over {@code server.max-connections}: answered 503 and closed at once. */
    private record Refused(ConnectionContext ctx) implements ServerConnection {

        @Override
        public void handle(Limit limit) {
            ConnectionWatch.answerAndClose(
                    ctx,
                    503,
                    "Service Unavailable",
                    "The server has its maximum of "
                            + "connections open (server.max-connections); try again when one closes");
        }

        @Override
        public Duration idleTime() {
            return Duration.ZERO;
        }

        @Override
        public void close(boolean interrupt) {
            ctx.serverSocket().close();
        }
    }

    /** Helidon's HTTP/1 connection, forgotten by the watch when it ends. */
    private record Connection(ServerConnection delegate, ConnectionWatch.Watched watched) implements ServerConnection {

        @Override
        public void handle(Limit limit) throws InterruptedException {
            try {
                delegate.handle(limit);
            } finally {
                watched.remove();
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }
    }

    /**
     * Starts checking the client's WebSocket frames on an upgraded connection ({@link WsFrameCheck}); called by the
     * studio's WebSocket upgrade with the context it was given.
     */
    static void upgradedToWebSocket(ConnectionContext ctx) {
        if (ctx instanceof Context c) {
            c.inbound().webSocket();
        }
    }

    /**
     * How long since the server last wrote to the connection of {@code ctx} (null if unknown): a WebSocket whose
     * client is quiet while the server streams a long turn to it is not idle.
     */
    static Duration sinceLastWrite(ConnectionContext ctx) {
        return ctx instanceof Context c
                ? Duration.ofNanos(System.nanoTime() - c.writer().last().get())
                : null;
    }

    /** The connection's writer, noting when it last wrote. */
    private record TimedWriter(DataWriter delegate, java.util.concurrent.atomic.AtomicLong last) implements DataWriter {

        @Override
        public void write(BufferData... buffers) {
            delegate.write(buffers);
            last.set(System.nanoTime());
        }

        @Override
        public void write(BufferData buffer) {
            delegate.write(buffer);
            last.set(System.nanoTime());
        }

        @Override
        public void writeNow(BufferData... buffers) {
            delegate.writeNow(buffers);
            last.set(System.nanoTime());
        }

        @Override
        public void writeNow(BufferData buffer) {
            delegate.writeNow(buffer);
            last.set(System.nanoTime());
        }

        @Override
        public void flush() {
            delegate.flush();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Sends a WebSocket close frame with {@code code} (the connection's own thread is the one reading). */
    static void closeWebSocket(ConnectionContext ctx, int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, 123);
        BufferData frame = BufferData.growing(4 + length);
        frame.write(0x88); // FIN + close
        frame.write(2 + length);
        frame.write(code >>> 8);
        frame.write(code & 0xFF);
        frame.write(text, 0, length);
        try {
            ctx.dataWriter().writeNow(frame);
        } catch (RuntimeException e) {
            // the client is gone: nothing to tell it
        }
    }

    /** The listener's connection context with the watched reader in place of its own. */
    private record Context(ConnectionContext delegate, DataReader reader, FirstLine inbound, TimedWriter writer)
            implements ConnectionContext {

        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public ListenerContext listenerContext() {
            return delegate.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return delegate.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return writer;
        }

        @Override
        public Router router() {
            return delegate.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return delegate.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return delegate.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return delegate.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return delegate.localPeer();
        }

        @Override
        public boolean isSecure() {
            return delegate.isSecure();
        }

        @Override
        public String socketId() {
            return delegate.socketId();
        }

        @Override
        public String childSocketId() {
            return delegate.childSocketId();
        }
    }
}
