package dev.miu.studio.session.postgres;

import dev.miu.config.DatabaseSettings;
import dev.miu.core.message.Message;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionIds;
import dev.miu.studio.session.TurnLeases;
import dev.miu.testing.PostgresCluster;
import dev.miu.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leases of two servers on one database: held while renewed (longer than the TTL), given back at once, taken over
 * once a server stops renewing; signals reach the server holding the lease, also after the database was away.
 */
@Timeout(120)
class PostgresTurnLeasesTest {

    private static final Duration TTL = Duration.ofSeconds(1);

    /** A cluster of its own: the outage below would fail the other test classes. */
    private static PostgresCluster cluster;

    private static String url;

    @BeforeAll
    static void start() {
        cluster = PostgresServer.newCluster();
        url = cluster.url(cluster.createDatabase());
    }

    @AfterAll
    static void stop() {
        cluster.stop();
    }

    private static PostgresDatabase open() {
        return PostgresDatabase.open(
                new DatabaseSettings(url, PostgresServer.USER, null, 2, Duration.ofSeconds(2), TTL));
    }

    @Test
    void aRenewedLeaseOutlivesItsTtlAReleasedOneIsFreeAtOnceAnAbandonedOneExpires() throws Exception {
        try (var dbA = open();
                var dbB = open();
                var a = PostgresTurnLeases.start(dbA, TTL, "a");
                var b = PostgresTurnLeases.start(dbB, TTL, "b")) {
            String session = UUID.randomUUID().toString();
            assertTrue(a.acquire(session));
            Thread.sleep(3 * TTL.toMillis()); // renewed every third of the TTL meanwhile
            assertFalse(b.acquire(session), "A still holds it");
            assertTrue(b.heldElsewhere(session).orElseThrow().startsWith("a "));
            a.release(session);
            assertTrue(b.acquire(session), "given back: free at once");
            assertTrue(a.heldElsewhere(session).isPresent());

            b.close(); // as if B died: nobody renews its lease, nobody releases it
            assertFalse(a.acquire(session));
            await().atMost(Duration.ofSeconds(10)).until(() -> a.acquire(session));
            a.release(session);
        }
    }

    @Test
    void aTurnsFirstReadTakesItsLeaseAndItsLastWriteGivesItBack() {
        var a = new PostgresSessionRepository(open());
        var b = new PostgresSessionRepository(open());
        try (var leasesA = a.leases(TTL, "a");
                var leasesB = b.leases(TTL, "b")) {
            Session s = a.create(
                    new Session(SessionIds.newId(), "Turn", null, null, Instant.now(), Instant.now(), List.of()));
            String id = s.id();

            assertEquals(s, a.findForTurn(id).orElseThrow());
            assertTrue(leasesB.heldElsewhere(id).orElseThrow().startsWith("a "), "taken with the read");
            assertTrue(leasesA.acquire(id), "A's turn finds it taken for it");
            assertTrue(b.findForTurn(id).isPresent(), "B reads the session, but cannot take what A holds");
            assertFalse(leasesB.acquire(id));
            leasesB.release(id); // what a refused begin does: nothing of A's is given back
            assertTrue(leasesB.heldElsewhere(id).isPresent());

            Session stored = a.updateEndingTurn(id, x -> x.append(List.of(Message.user("q"), Message.assistant("a"))))
                    .orElseThrow();
            assertEquals(2, stored.messages().size());
            assertTrue(leasesB.heldElsewhere(id).isEmpty(), "given back with the turn's last write");
            leasesA.release(id); // the turn's close: nothing left to do
            assertTrue(leasesB.acquire(id));
            assertEquals(2, b.find(id).orElseThrow().messages().size());
            leasesB.release(id);

            // a session that does not exist: no lease is taken for it
            String missing = SessionIds.newId();
            assertTrue(a.findForTurn(missing).isEmpty());
            assertTrue(leasesB.heldElsewhere(missing).isEmpty());
            // the write that ends a turn over a copy another server made stale still gives the lease back
            assertTrue(a.findForTurn(id).isPresent());
            b.update(id, x -> x.withName("Renamed on B"));
            Session ended = a.updateEndingTurn(id, x -> x.append(List.of(Message.user("again"))))
                    .orElseThrow();
            assertEquals("Renamed on B", ended.name());
            assertEquals(3, ended.messages().size());
            assertTrue(leasesB.heldElsewhere(id).isEmpty());
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void aSignalReachesTheServerHoldingTheLeaseAlsoAfterAnOutage() throws Exception {
        try (var dbA = open();
                var dbB = open();
                var a = PostgresTurnLeases.start(dbA, TTL, "a");
                var b = PostgresTurnLeases.start(dbB, TTL, "b")) {
            var received = new LinkedBlockingQueue<String>();
            a.onSignal((id, signal) -> received.add(signal + " " + id));
            b.onSignal((id, signal) -> received.add("B got " + signal));
            String session = UUID.randomUUID().toString();
            assertTrue(a.acquire(session));
            b.signal(session, TurnLeases.Signal.CANCEL);
            assertEquals("CANCEL " + session, received.poll(10, TimeUnit.SECONDS));

            cluster.stopServer();
            cluster.startServer();
            // the listener reconnects on its own; a signal sent once it is back arrives
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        try {
                            assertTrue(a.acquire(session)); // its lease is its own to take again
                            b.signal(session, TurnLeases.Signal.DECIDED);
                            return ("DECIDED " + session).equals(received.poll(1, TimeUnit.SECONDS));
                        } catch (RuntimeException e) {
                            return false; // the database is still coming back
                        }
                    });
            assertTrue(received.stream().noneMatch(s -> s.startsWith("B got")), received.toString());
        }
    }
}
