package dev.miu.studio.http;

import dev.miu.config.ConnectionLimits;
import dev.miu.config.Durations;
import dev.miu.core.json.Json;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http1.Http1ConnectionListener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Times out slow clients, which Helidon 4.5.0 waits for without limit: a request head (request line and headers)
 * that takes longer than {@link ConnectionLimits#requestHeadTimeout()} gets 408, a request body that stops for
 * {@link ConnectionLimits#bodyTimeout()} gets 400 (see {@link RequestBody}); both close the connection. Idle
 * connections are Helidon's own idle timeout.
 * <p>
 * {@link Http1Connections} reports every read of a connection's socket, the {@link #headListener()} the end of each
 * request head, and the {@link #requestEnd() filter} the end of each request; one daemon thread checks the clocks.
 */
public final class ConnectionWatch {

    private static final System.Logger LOG = System.getLogger(ConnectionWatch.class.getName());
    private static final long CHECK_EVERY_MS = 200;
    /** Every watched connection of every server in this JVM, by connection and listener socket id. */
    private static final Map<String, Watched> WATCHED = new ConcurrentHashMap<>();

    private static volatile Thread checker;

    private final ConnectionLimits limits;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();

    public ConnectionWatch(ConnectionLimits limits) {
        this.limits = limits;
        this.maxConnections = limits.effectiveMaxConnections();
    }

    /** The connection limit in force (for 0 in the settings, computed once when the server was set up). */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * Watches a new connection, or returns null when {@link #maxConnections} are already open (Helidon lets a few
     * more in, so the excess is refused at once instead of waiting unseen in the listen backlog).
     */
    Watched add(ConnectionContext ctx) {
        startChecker();
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return null;
        }
        var watched = new Watched(key(ctx.childSocketId(), ctx.socketId()), ctx, limits, open);
        WATCHED.putIfAbsent(watched.key, watched); // a clash of ids (identity hashes) leaves the newer one unwatched
        return watched;
    }

    /**
     * What Helidon may hold open: the limit and a margin for the connections refused at once (each holds its file
     * descriptor only while it is answered 503), so descriptors stay bounded and an excess still hears why.
     */
    public int acceptLimit() {
        return maxConnections + Math.max(16, maxConnections / 10);
    }

    /** The connection {@code req} came on, while it is open. */
    static Optional<Watched> of(ServerRequest req) {
        return Optional.ofNullable(WATCHED.get(key(req.socketId(), req.serverSocketId())));
    }

    private static String key(String connection, String listener) {
        return connection + " " + listener;
    }

    /** Marks the end of each request head (the connection's requests, not its bytes, now decide). */
    public Http1ConnectionListener headListener() {
        return new Http1ConnectionListener() {
            @Override
            public void headers(ConnectionContext ctx, Headers headers) {
                Watched w = WATCHED.get(key(ctx.childSocketId(), ctx.socketId()));
                if (w != null) {
                    w.headDone();
                }
            }
        };
    }

    /** Marks the end of each routed request: bytes after it start the next request's head. */
    public Filter requestEnd() {
        return new Filter() {
            @Override
            public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
                try {
                    chain.proceed();
                } finally {
                    of(req).ifPresent(Watched::requestDone);
                }
            }
        };
    }

    private static void startChecker() {
        if (checker == null) {
            synchronized (ConnectionWatch.class) {
                if (checker == null) {
                    checker = Thread.ofPlatform()
                            .daemon()
                            .name("miu-connection-watch")
                            .start(ConnectionWatch::check);
                }
            }
        }
    }

    private static void check() {
        while (true) {
            try {
                Thread.sleep(CHECK_EVERY_MS);
                long now = System.nanoTime();
                for (Watched w : WATCHED.values()) {
                    w.check(now);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Connection check failed: " + e);
            }
        }
    }

    /** One open connection's clocks. */
    static final class Watched {

        private final String key;
        private final ConnectionContext ctx;
        private final ConnectionLimits limits;
        private final AtomicInteger open;
        private boolean removed;
        /** When the current request head's first bytes came (nanoTime), 0 when no head is on its way. */
        private volatile long headSince;

        private volatile boolean inRequest;
        /** When a handler reading the body last got bytes (nanoTime), 0 when none reads one. */
        private volatile long bodySince;

        private volatile boolean timedOut;

        Watched(String key, ConnectionContext ctx, ConnectionLimits limits, AtomicInteger open) {
            this.key = key;
            this.ctx = ctx;
            this.limits = limits;
            this.open = open;
        }

        void received() {
            long now = System.nanoTime();
            if (!inRequest && headSince == 0) {
                headSince = now;
            }
            if (bodySince != 0) {
                bodySince = now;
            }
        }

        void headDone() {
            headSince = 0;
            inRequest = true;
        }

        void requestDone() {
            inRequest = false;
        }

        void bodyStarted() {
            bodySince = System.nanoTime();
        }

        void bodyDone() {
            bodySince = 0;
        }

        boolean timedOut() {
            return timedOut;
        }

        Duration bodyTimeout() {
            return limits.bodyTimeout();
        }

        /** The connection ended (or is being closed): it no longer counts. */
        synchronized void remove() {
            if (!removed) {
                removed = true;
                WATCHED.remove(key, this);
                open.decrementAndGet();
            }
        }

        private void check(long now) {
            long head = headSince;
            long body = bodySince;
            if (head != 0 && now - head > limits.requestHeadTimeout().toNanos()) {
                timeOut(
                        408,
                        "Request Timeout",
                        "The request line and headers did not arrive within "
                                + Durations.format(limits.requestHeadTimeout()) + " (server.request-head-timeout)");
            } else if (body != 0 && now - body > limits.bodyTimeout().toNanos()) {
                timeOut(
                        400,
                        "Bad Request",
                        "The request body stopped: no bytes for "
                                + Durations.format(limits.bodyTimeout()) + " (server.body-timeout); is its "
                                + "Content-Length larger than what was sent?");
            }
        }

        /** Answers on the waiting connection's behalf (its thread is blocked reading) and closes it. */
        private void timeOut(int status, String reason, String detail) {
            if (timedOut) {
                return;
            }
            timedOut = true;
            remove();
            LOG.log(
                    System.Logger.Level.INFO,
                    "Closed a connection from " + ctx.remotePeer().host() + ": " + detail);
            answerAndClose(ctx, status, reason, detail);
        }
    }

    /** Writes a whole JSON error response on a connection whose own thread is not writing, and closes it. */
    static void answerAndClose(ConnectionContext ctx, int status, String reason, String detail) {
        byte[] body = Json.write(Json.object().add("detail", detail).build()).getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        try {
            BufferData data = BufferData.growing(head.length() + body.length);
            data.write(head.getBytes(StandardCharsets.US_ASCII));
            data.write(body);
            ctx.dataWriter().writeNow(data);
        } catch (RuntimeException e) {
            // the client is gone or not reading: closing is all there is to do
        } finally {
            ctx.serverSocket().close();
        }
    }
}
