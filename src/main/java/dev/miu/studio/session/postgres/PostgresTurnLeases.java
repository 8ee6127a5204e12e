package dev.miu.studio.session.postgres;

import dev.miu.studio.session.TurnLeases;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Turn leases in the {@code turn_leases} table, shared by every server on the database. A lease expires
 * {@code database.lease-ttl} after its last renewal; this server renews all of its own every third of that, so a
 * server that dies (kill -9, a lost machine) leaves leases that expire and are taken over. Signals go by
 * {@code NOTIFY miu_turns} and arrive on one connection of this server's own, outside the pool, that listens and
 * reconnects after an outage (a signal sent while it was away is lost: the cancel that sent it answers 202). Each
 * of these is one statement, committed on its own.
 */
public final class PostgresTurnLeases implements TurnLeases {

    private static final System.Logger LOG = System.getLogger(PostgresTurnLeases.class.getName());
    static final String CHANNEL = "miu_turns";
    /** Renewals of every server in this JVM (tests run several): one thread, each renewal one short statement. */
    private static final ScheduledThreadPoolExecutor RENEWALS = renewals();

    private final PostgresDatabase db;
    private final UUID instance = UUID.randomUUID();
    private final String name;
    private final Duration ttl;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> renewal;
    private final CountDownLatch listening = new CountDownLatch(1);
    private volatile BiConsumer<String, Signal> handler = (id, signal) -> {};
    private volatile boolean closed;
    private volatile Connection listener;
    private Thread listenerThread;

    private PostgresTurnLeases(PostgresDatabase db, Duration ttl, String name) {
        this.db = db;
        this.ttl = ttl;
        this.name = name + " " + instance;
        long every = Math.max(100, ttl.toMillis() / 3);
        this.renewal = RENEWALS.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Leases of a new server instance (a random id) called {@code name} for people (host, port, process), whose
     * leases live {@code ttl} after each renewal.
     */
    public static PostgresTurnLeases start(PostgresDatabase db, Duration ttl, String name) {
        return new PostgresTurnLeases(Objects.requireNonNull(db, "db"), ttl, name);
    }

    /** This server's id in {@code turn_leases.instance_id}. */
    public UUID instance() {
        return instance;
    }

    @Override
    public boolean acquire(String sessionId) {
        UUID session = uuid(sessionId);
        if (session == null) {
            return true; // no PostgreSQL session has such an id: nothing to share
        }
        if (held.contains(sessionId)) {
            return true; // taken as the turn's session was read (PostgresSessionRepository.findForTurn)
        }
        startListening(); // before the turn runs, so a cancel sent elsewhere reaches it
        boolean taken = db.autocommit(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO turn_leases"
                    + " (session_id, instance_id, instance_name, acquired_at, expires_at)"
                    + " VALUES (?, ?, ?, now(), now() + make_interval(secs => ?))"
                    + TurnRows.UNLESS_HELD_ELSEWHERE)) {
                st.setObject(1, session);
                st.setObject(2, instance);
                st.setString(3, name);
                st.setDouble(4, ttl.toMillis() / 1000.0);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next();
                }
            }
        });
        if (taken) {
            held.add(sessionId);
        }
        return taken;
    }

    @Override
    public void release(String sessionId) {
        if (uuid(sessionId) == null || !held.remove(sessionId)) {
            return; // none, or given back with the turn's last write (PostgresSessionRepository.updateEndingTurn)
        }
        db.autocommit(c -> {
            TurnRows.releaseLease(c, sessionId, instance);
            return null;
        });
    }

    /**
     * A lease for a read to take in its own statement ({@link PostgresSessionRepository#findForTurn}); this server
     * listens for signals first, so a cancel sent elsewhere reaches the turn.
     */
    TurnRows.LeaseClaim claim() {
        startListening();
        return new TurnRows.LeaseClaim(instance, name, ttl.toMillis() / 1000.0);
    }

    /** The lease of {@code sessionId} was taken by a {@link #claim}. */
    void taken(String sessionId) {
        held.add(sessionId);
    }

    boolean holds(String sessionId) {
        return held.contains(sessionId);
    }

    /** The lease of {@code sessionId} was deleted by the turn's last write: nothing is left to release. */
    void releasedWithWrite(String sessionId) {
        held.remove(sessionId);
    }

    @Override
    public Optional<String> heldElsewhere(String sessionId) {
        UUID session = uuid(sessionId);
        if (session == null) {
            return Optional.empty();
        }
        return db.autocommit(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT instance_name FROM turn_leases"
                    + " WHERE session_id = ? AND instance_id <> ? AND expires_at > now()")) {
                st.setObject(1, session);
                st.setObject(2, instance);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void signal(String sessionId, Signal signal) {
        db.autocommit(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                st.setString(1, CHANNEL);
                st.setString(2, signal.name() + " " + sessionId);
                st.execute();
                return null; // delivered when this commits
            }
        });
    }

    @Override
    public void onSignal(BiConsumer<String, Signal> handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** Stops renewing and listening; the leases still held expire (a server stopping has ended its turns). */
    @Override
    public void close() {
        closed = true;
        renewal.cancel(false);
        Connection c = listener;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }

    /** Pushes back the expiry of every lease this server holds, in one statement. */
    private void renew() {
        if (held.isEmpty() || closed) {
            return;
        }
        try {
            db.autocommit(c -> {
                try (PreparedStatement st = c.prepareStatement("UPDATE turn_leases"
                        + " SET expires_at = now() + make_interval(secs => ?) WHERE instance_id = ?")) {
                    st.setDouble(1, ttl.toMillis() / 1000.0);
                    st.setObject(2, instance);
                    return st.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            // the next renewal tries again; past the TTL another server may take the sessions over
            LOG.log(System.Logger.Level.WARNING, "Could not renew this server's turn leases: " + e.getMessage());
        }
    }

    /** Starts the listener once, and waits (briefly) until it listens. */
    private void startListening() {
        synchronized (this) {
            if (listenerThread == null && !closed) {
                listenerThread =
                        Thread.ofPlatform().daemon().name("miu-turn-signals").start(this::listen);
            }
        }
        try {
            listening.await(db.dataSource().getConnectionTimeout(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Listens on its own connection until closed, reconnecting after an outage (1 s, then up to 5 s apart). */
    private void listen() {
        long pause = 1_000;
        while (!closed) {
            try (Connection c = connect()) {
                listener = c;
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                listening.countDown();
                pause = 1_000;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] arrived = pg.getNotifications(1_000);
                    if (arrived != null) {
                        for (PGNotification n : arrived) {
                            dispatch(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.log(
                        System.Logger.Level.WARNING,
                        "Lost the connection that listens for cancels from other" + " servers; reconnecting: "
                                + e.getMessage());
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
            pause = Math.min(5_000, pause * 2);
        }
    }

    private Connection connect() throws SQLException {
        var pool = db.dataSource();
        var props = new Properties();
        if (pool.getUsername() != null) {
            props.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            props.setProperty("password", pool.getPassword());
        }
        props.setProperty("ApplicationName", "miu-signals");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("connectTimeout", String.valueOf(Math.max(1, pool.getConnectionTimeout() / 1000)));
        Connection c = DriverManager.getConnection(pool.getJdbcUrl(), props);
        c.setAutoCommit(true);
        return c;
    }

    /** {@code "CANCEL <session id>"}: handled on a virtual thread, so a slow handler never delays the next one. */
    private void dispatch(String payload) {
        int space = payload.indexOf(' ');
        if (space < 0) {
            return;
        }
        Signal signal;
        try {
            signal = Signal.valueOf(payload.substring(0, space).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return; // a newer miu's signal: not for this one
        }
        String sessionId = payload.substring(space + 1);
        if (!held.contains(sessionId)) {
            return; // another server's turn
        }
        BiConsumer<String, Signal> h = handler;
        Thread.ofVirtual().name("miu-turn-signal").start(() -> h.accept(sessionId, signal));
    }

    private static UUID uuid(String sessionId) {
        try {
            return UUID.fromString(sessionId);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ScheduledThreadPoolExecutor renewals() {
        var executor = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().daemon().name("miu-lease-renewals").factory());
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
