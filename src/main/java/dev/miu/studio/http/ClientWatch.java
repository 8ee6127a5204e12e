package dev.miu.studio.http;

import dev.miu.studio.chat.ChatTurn;
import io.helidon.webserver.http.ServerRequest;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Notices HTTP chat clients that went away or stopped reading, and cancels their turns. While a turn runs, its
 * request's handler reads nothing from the connection, so a client that leaves is only seen when something is
 * written to it, which for {@code /chat/invoke} (or a model that is slow to start) is when the turn is over.
 * Instead, once a turn has run for {@link #CHECK_AFTER}, the connection's state is looked up in the system's TCP
 * table ({@link TcpConnections}) on every sweep. And a write to a stream that blocks for longer than
 * {@code server.stream-write-timeout} (the client stopped reading; its buffers are full) is interrupted, which
 * closes the connection, and the turn is cancelled. One sweeping thread runs while any request is watched.
 */
public final class ClientWatch {

    /** Turns shorter than this never cost a look at the TCP table. */
    static final Duration CHECK_AFTER = Duration.ofSeconds(1);

    private static final long TABLE_EVERY_NANOS = Duration.ofMillis(500).toNanos();

    private final long writeTimeoutNanos;
    private final long sweepMillis;
    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private long lastTableRead;

    public ClientWatch(Duration writeTimeout) {
        this.writeTimeoutNanos = writeTimeout.toNanos();
        this.sweepMillis = Math.clamp(writeTimeout.toMillis() / 4, 10, 250);
    }

    /** Watches the client of {@code req} until the returned handle is closed. */
    public Watched watch(ServerRequest req, ChatTurn turn) {
        TcpConnections.Connection connection = null;
        if (req.localPeer().address() instanceof InetSocketAddress local
                && req.remotePeer().address() instanceof InetSocketAddress remote) {
            connection = new TcpConnections.Connection(local, remote);
        }
        Watched w = new Watched(connection, turn, System.nanoTime());
        watched.add(w);
        if (sweeping.compareAndSet(false, true)) {
            Thread.ofVirtual().name("miu-client-watch").start(this::sweepWhileWatching);
        }
        return w;
    }

    private void sweepWhileWatching() {
        while (true) {
            try {
                Thread.sleep(sweepMillis);
            } catch (InterruptedException e) {
                sweeping.set(false);
                return;
            }
            sweep(System.nanoTime());
            if (watched.isEmpty()) {
                sweeping.set(false);
                // a request watched after the check but before the flag was cleared found it set: sweep on for it
                if (watched.isEmpty() || !sweeping.compareAndSet(false, true)) {
                    return;
                }
            }
        }
    }

    private void sweep(long now) {
        boolean lookUp = false;
        for (Watched w : watched) {
            w.interruptStalledWrite(now, writeTimeoutNanos);
            lookUp |= w.connection != null && now - w.since >= CHECK_AFTER.toNanos();
        }
        if (!lookUp || now - lastTableRead < TABLE_EVERY_NANOS) {
            return;
        }
        lastTableRead = now;
        Optional<TcpConnections> table = TcpConnections.read();
        if (table.isEmpty()) {
            return;
        }
        for (Watched w : watched) {
            if (w.connection != null
                    && now - w.since >= CHECK_AFTER.toNanos()
                    && !table.get().isEstablished(w.connection).orElse(true)) {
                w.clientLeft();
            }
        }
    }

    /** One watched request: its connection, its turn, and the write to it in progress, if any. */
    public final class Watched implements AutoCloseable {

        private final TcpConnections.Connection connection;
        private final ChatTurn turn;
        private final long since;
        private final ReentrantLock lock = new ReentrantLock();
        private Thread writer;
        private long writeStarted;
        private boolean stalled;
        private volatile boolean gone;

        private Watched(TcpConnections.Connection connection, ChatTurn turn, long since) {
            this.connection = connection;
            this.turn = turn;
            this.since = since;
        }

        /** Whether the client has gone (or stopped reading): nothing more should be written to it. */
        public boolean clientGone() {
            return gone;
        }

        /**
         * Runs one write to the client; if it blocks past the write timeout it is interrupted, which makes it throw
         * (a virtual thread's blocking socket write closes the socket when interrupted). That interrupt is cleared
         * here again: it was for the write, and the turn is cancelled through its own handle.
         */
        public void write(Runnable write) {
            lock.lock();
            try {
                writer = Thread.currentThread();
                writeStarted = System.nanoTime();
            } finally {
                lock.unlock();
            }
            try {
                write.run();
            } finally {
                lock.lock();
                try {
                    writer = null;
                    if (stalled) {
                        Thread.interrupted();
                    }
                } finally {
                    lock.unlock();
                }
            }
        }

        private void interruptStalledWrite(long now, long timeoutNanos) {
            lock.lock();
            try {
                if (writer == null || stalled || now - writeStarted < timeoutNanos) {
                    return;
                }
                stalled = true;
                writer.interrupt();
            } finally {
                lock.unlock();
            }
            clientLeft();
        }

        private void clientLeft() {
            gone = true;
            turn.cancel();
        }

        @Override
        public void close() {
            watched.remove(this);
        }
    }
}
