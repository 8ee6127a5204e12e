package dev.miu.studio;

import dev.miu.config.ServerSettings;
import io.helidon.webserver.WebServer;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The studio's web server for {@code miu serve}, started again when Helidon's listener gives up.
 *
 * <p>Helidon 4.5's listener takes any failure of {@code accept()} as the end of its server socket: when the process
 * runs out of file descriptors ({@code Too many open files}) it logs "this server socket is terminating now", closes
 * the socket and every open connection, and its thread then waits for itself for ever ({@code ServerListener.stop}
 * joins a future only its own loop completes), so the server still says it is running but nobody can connect again.
 * {@code server.max-connections} keeps connections alone from taking the descriptors, but session files, MCP child
 * processes and calls to providers draw on the same ones. This class watches for that log record and binds a new
 * server with the same routes to the same address, trying again with a growing pause (up to 5 s) until descriptors
 * are free. The connections Helidon closed are lost (their turns are cancelled, as for a client that went away); the
 * sessions are not. It needs Helidon's listener records at SEVERE, which miu's logging lets through unless a logging
 * configuration of the user's turns {@code io.helidon} off.
 */
public final class StudioListener {

    private static final System.Logger LOG = System.getLogger(StudioListener.class.getName());
    /** Held strongly: JUL keeps loggers weakly, and with the logger its handler would go. */
    private static final Logger HELIDON_LISTENER_LOG = Logger.getLogger("io.helidon.webserver.ServerListener");

    private static final String GAVE_UP = "this server socket is terminating now";
    private static final long LONGEST_PAUSE_MS = 5_000;
    /**
     * Which StudioListener a Helidon listener thread serves: set while a server is built, and inherited by its
     * listener thread (Helidon creates it inheriting inheritable thread locals), where the record is logged.
     */
    private static final InheritableThreadLocal<StudioListener> OWNER = new InheritableThreadLocal<>();

    static {
        HELIDON_LISTENER_LOG.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                StudioListener owner = OWNER.get();
                if (owner != null
                        && record.getLevel().intValue() >= Level.SEVERE.intValue()
                        && record.getMessage() != null
                        && record.getMessage().contains(GAVE_UP)) {
                    owner.revive(record.getThrown());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
    }

    private final Studio studio;
    private final AtomicReference<WebServer> server = new AtomicReference<>();
    private final AtomicBoolean reviving = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile int port;

    private StudioListener(Studio studio) {
        this.studio = studio;
    }

    /**
     * Starts the studio's server as {@link StudioServer#start} does, watched.
     *
     * @throws dev.miu.core.ConfigurationException it cannot listen on the configured address
     */
    public static StudioListener start(Studio studio) {
        var listener = new StudioListener(studio);
        WebServer first = listener.startOwned(studio.config().server());
        listener.server.set(first);
        listener.port = first.port();
        return listener;
    }

    /** The server answering now (another one after a revival). */
    public WebServer server() {
        return server.get();
    }

    /** The port it listens on, also while a new server is being started. */
    public int port() {
        return port;
    }

    /** Stops the server, and any revival under way. */
    public void stop() {
        stopped = true;
        server.get().stop();
    }

    private WebServer startOwned(ServerSettings settings) {
        StudioListener previous = OWNER.get();
        OWNER.set(this);
        try {
            return StudioServer.start(studio, settings);
        } finally {
            if (previous == null) {
                OWNER.remove();
            } else {
                OWNER.set(previous);
            }
        }
    }

    /** Called on the dead listener's thread, which never returns: the work goes to a thread of its own. */
    private void revive(Throwable cause) {
        if (stopped || !reviving.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("miu-listener-revival").start(() -> {
            try {
                startAgain(cause);
            } finally {
                reviving.set(false);
            }
        });
    }

    private void startAgain(Throwable cause) {
        ServerSettings settings = studio.config().server().withPort(port);
        String address = settings.host() + ":" + port;
        LOG.log(
                System.Logger.Level.WARNING,
                "the listener on " + address + " stopped accepting connections ("
                        + (cause == null ? "no reason given" : cause.getMessage()) + "); starting it again");
        long pause = 250;
        for (int attempt = 1; !stopped; attempt++) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
            WebServer fresh;
            try {
                fresh = startOwned(settings);
            } catch (RuntimeException e) {
                if (attempt == 1 || attempt % 12 == 0) {
                    LOG.log(System.Logger.Level.WARNING, "still cannot listen on " + address + ": " + e.getMessage());
                }
                continue;
            }
            WebServer dead = server.getAndSet(fresh);
            dead.stop(); // returns at once: its listener marked itself stopped before it hung
            if (stopped) {
                fresh.stop(); // stop() ran meanwhile and stopped the dead one
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "listening again on " + address);
            return;
        }
    }
}
