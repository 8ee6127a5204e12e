package dev.miu.bench;

import dev.miu.testing.PostgresServer;
import dev.miu.testing.ScriptedLlmServer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * The session stores side by side: turns per second and turn latency with the file store (as it ships), and with
 * PostgreSQL for one and for two {@code miu serve} instances on one database (clients alternate between the two
 * turn by turn, as behind a load balancer without sticky sessions). "Added" latency is miu's turn latency minus the
 * same clients' direct calls to the provider at the same concurrency.
 */
final class StoreBench {

    private static final int TURNS_PER_SESSION = 20;

    private StoreBench() {}

    record Result(double turnsPerSecond, Stats latency, long errors, String firstError) {}

    static List<String> run(
            List<String> jar,
            Map<String, String> providerEnv,
            int providerPort,
            String answer,
            Path logs,
            int[] concurrencies,
            long warmMillis,
            long measureMillis)
            throws Exception {
        List<String> md = new ArrayList<>();
        md.add("### Session stores");
        md.add("");
        md.add("Each of C clients runs `/chat/invoke` turns back to back for " + measureMillis / 1000.0 + " s (after "
                + warmMillis / 1000.0 + " s of warm-up), a fresh session every " + TURNS_PER_SESSION + " turns. File: "
                + "the journal as it ships (`sessions.sync: interval`). PostgreSQL: a throw-away cluster on the same "
                + "machine (`fsync=off`, as the tests run it), default pool (10); with two instances each client "
                + "sends its turns to the two servers in turn, so every session moves between them. Added latency: "
                + "p50 / p99 of a turn through miu minus those of the direct provider call at the same C.");
        md.add("");
        md.add("| clients | direct p50 / p99, ms | file: turns/s, added p50 / p99 ms | PostgreSQL, 1 instance |"
                + " PostgreSQL, 2 instances | errors (file / pg 1 / pg 2) |");
        md.add("|---|---|---|---|---|---|");
        // a cluster of its own, stopped below (PostgresServer itself is a JUnit extension, not on the bench's path)
        PostgresServer.Cluster cluster = PostgresServer.Cluster.start();
        Map<String, String> pgEnv = Map.of(
                "MIU_SESSIONS_STORE",
                "postgres",
                "MIU_DATABASE_URL",
                cluster.url(cluster.createDatabase()),
                "MIU_DATABASE_USER",
                PostgresServer.USER);
        String firstError = null;
        try (MiuProcess file = MiuProcess.start(jar, providerEnv, logs.resolve("serve-file.log"));
                MiuProcess pgA = MiuProcess.start(jar, providerEnv, pgEnv, logs.resolve("serve-pg-a.log"));
                MiuProcess pgB = MiuProcess.start(jar, providerEnv, pgEnv, logs.resolve("serve-pg-b.log"))) {
            for (MiuProcess p : List.of(file, pgA, pgB)) {
                p.awaitHealthy(60_000);
            }
            var fileClient = new StudioClient(file.port(), providerPort, ScriptedLlmServer.API_KEY, answer);
            var aClient = new StudioClient(pgA.port(), providerPort, ScriptedLlmServer.API_KEY, answer);
            var bClient = new StudioClient(pgB.port(), providerPort, ScriptedLlmServer.API_KEY, answer);
            for (int c : concurrencies) {
                StudioBench.log("stores, " + c + " clients");
                Result direct = measure(c, warmMillis, measureMillis, List.of(fileClient), true);
                Result f = measure(c, warmMillis, measureMillis, List.of(fileClient), false);
                Result one = measure(c, warmMillis, measureMillis, List.of(aClient), false);
                Result two = measure(c, warmMillis, measureMillis, List.of(aClient, bClient), false);
                md.add("| " + c + " | " + Stats.ms(direct.latency().p50()) + " / "
                        + Stats.ms(direct.latency().p99())
                        + " | " + cell(f, direct) + " | " + cell(one, direct) + " | " + cell(two, direct) + " | "
                        + f.errors() + " / " + one.errors() + " / " + two.errors() + " |");
                for (Result r : List.of(f, one, two, direct)) {
                    if (firstError == null && r.firstError() != null) {
                        firstError = r.firstError();
                    }
                }
            }
            fileClient.close();
            aClient.close();
            bClient.close();
        } finally {
            cluster.stop();
        }
        if (firstError != null) {
            md.add("");
            md.add("First error: `" + firstError.replace('`', '\'') + "`");
        }
        md.add("");
        return md;
    }

    private static String cell(Result r, Result direct) {
        return "**" + Math.round(r.turnsPerSecond()) + "**, "
                + Stats.ms(Math.max(0, r.latency().p50() - direct.latency().p50())) + " / "
                + Stats.ms(Math.max(0, r.latency().p99() - direct.latency().p99()));
    }

    /** C clients on {@code servers} (alternating per turn), or straight to the provider ({@code direct}). */
    private static Result measure(
            int clients, long warmMillis, long measureMillis, List<StudioClient> servers, boolean direct)
            throws InterruptedException {
        long measureFrom = System.nanoTime() + warmMillis * 1_000_000;
        long measureTo = measureFrom + measureMillis * 1_000_000;
        LongAdder done = new LongAdder();
        LongAdder errors = new LongAdder();
        var latencies = new ConcurrentLinkedQueue<long[]>();
        String[] firstError = new String[1];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            List<StudioClient> own = servers.stream().map(StudioClient::copy).toList();
            threads.add(Thread.ofVirtual().start(() -> {
                long[] sample = new long[4096];
                int n = 0;
                String session = null;
                int turn = 0;
                while (System.nanoTime() < measureTo) {
                    StudioClient to = own.get(turn % own.size());
                    try {
                        if (!direct && (session == null || turn % TURNS_PER_SESSION == 0)) {
                            session = own.getFirst().createSession();
                        }
                        turn++;
                        long start = System.nanoTime();
                        long read = direct ? to.direct() : to.invoke(session);
                        if (start >= measureFrom && read < measureTo) {
                            done.increment();
                            if (n == sample.length) {
                                sample = java.util.Arrays.copyOf(sample, n * 2);
                            }
                            sample[n++] = read - start;
                        }
                    } catch (Exception e) {
                        long now = System.nanoTime();
                        if (now >= measureFrom && now < measureTo) {
                            errors.increment();
                        }
                        synchronized (firstError) {
                            if (firstError[0] == null) {
                                firstError[0] = e.toString();
                            }
                        }
                        session = null;
                        turn = 0;
                    }
                }
                latencies.add(java.util.Arrays.copyOf(sample, n));
                own.forEach(StudioClient::close);
            }));
        }
        for (Thread t : threads) {
            t.join(measureMillis + warmMillis + 120_000);
        }
        long[] all = latencies.stream().flatMapToLong(java.util.Arrays::stream).toArray();
        return new Result(done.sum() / (measureMillis / 1000.0), Stats.of(all), errors.sum(), firstError[0]);
    }
}
