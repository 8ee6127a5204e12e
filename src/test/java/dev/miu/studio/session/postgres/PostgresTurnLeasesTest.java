package dev.miu.studio.session.postgres;

import dev.miu.config.DatabaseSettings;
import dev.miu.studio.session.TurnLeases;
import dev.miu.testing.PostgresCluster;
import dev.miu.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
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
