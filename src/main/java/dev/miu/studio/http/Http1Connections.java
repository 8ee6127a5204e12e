package dev.miu.studio.http;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import io.helidon.common.buffers.BufferData;

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
    private static final byte[] HTTP_11_CLOSE = " HTTP/1.1\r\nConnection: close\r\n".getBytes(StandardCharsets.US_ASCII);

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
        var reader = DataReader.create(new FirstLine(() -> read(socket, watched)));
        ServerConnection connection = http1.connection(new Context(ctx, reader));
        return new Connection(connection, watched);
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

    /** Passes the socket's bytes on, rewriting an HTTP/1.0 first request line (the connection closes after it). */
    private static final class FirstLine implements java.util.function.Supplier<byte[]> {

        private final java.util.function.Supplier<byte[]> source;
        private byte[] head = new byte[0];
        private boolean checked;

        FirstLine(java.util.function.Supplier<byte[]> source) {
            this.source = source;
        }

        @Override
        public byte[] get() {
            if (checked) {
                return source.get();
            }
            byte[] bytes = source.get();
            if (bytes == null) {
                return null;
            }
            head = concat(head, bytes);
            int lf = indexOf(head, (byte) '\n');
            if (lf < 0 && head.length < 8192) {
                // the request line is not complete yet: hand on what came so far only once it is
                return get();
            }
            checked = true;
            byte[] all = head;
            head = null;
            if (lf > HTTP_10.length && endsWith(all, lf + 1, HTTP_10)) {
                int cut = lf + 1 - HTTP_10.length;
                byte[] out = new byte[all.length - HTTP_10.length + HTTP_11_CLOSE.length];
                System.arraycopy(all, 0, out, 0, cut);
                System.arraycopy(HTTP_11_CLOSE, 0, out, cut, HTTP_11_CLOSE.length);
                System.arraycopy(all, lf + 1, out, cut + HTTP_11_CLOSE.length, all.length - lf - 1);
                return out;
            }
            return all;
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

    /** The listener's connection context with the watched reader in place of its own. */
    private record Context(ConnectionContext delegate, DataReader reader) implements ConnectionContext {

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
            return delegate.dataWriter();
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
