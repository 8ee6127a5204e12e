package dev.miu.bench;

import dev.miu.testing.PostgresCluster;
import dev.miu.testing.ScriptedLlmServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * The session stores side by side: the file journal (one server) and PostgreSQL with one and with two
 * {@code miu serve} instances on one database, all in the same run against the same canned provider. Turns per
 * second at several concurrencies (each client on its own sessions; with two instances, clients alternate between
 * them) and the latency a turn adds, p50 and p99, over sequential turns.
 */
final class StoreBench {

    private static final int TURNS_PER_SESSION = ThroughputBench.TURNS_PER_SESSION;

    private StoreBench() {}

    /**
     * One way of storing sessions: its column name, the servers clients spread over, its database if any, and
     * whether its servers are a peer's ({@code /chat/invoke} on sessions the client names) rather than miu's.
     */
    private record Setup(
            String name,
            List<StudioClient> clients,
            List<MiuProcess> servers,
            PostgresCluster database,
            boolean peer) {}

    /** Where {@code ../shared/peers/run.sh} builds the Spring AI peer (overridden by MIU_BENCH_SPRING_AI_JAR). */
    static Path springAiJar(Path root) {
        String set = System.getenv("MIU_BENCH_SPRING_AI_JAR");
        return set != null && !set.isBlank()
                ? Path.of(set)
                : root.resolve("target/peers/spring-ai/target/spring-ai-peer.jar");
    }

    static List<String> run(
            List<String> jar,
            Path springAiJar,
            CannedProvider provider,
            String answer,
            Path logs,
            int[] concurrencies,
            long warmMillis,
            long measureMillis,
            int latencyTurns)
            throws Exception {
        List<String> md = new ArrayList<>();
        md.add("### Session stores");
        md.add("");
        PostgresCluster cluster;
        try {
            cluster = PostgresCluster.start();
        } catch (RuntimeException e) { // PostgreSQL not installed
            md.add("Skipped: " + e.getMessage());
            md.add("");
            return md;
        }
        String database = cluster.createDatabase();
        Map<String, String> postgres = Map.of(
                "MIU_SESSIONS_STORE",
                "postgres",
                "MIU_DATABASE_URL",
                cluster.url(database),
                "MIU_DATABASE_USER",
                PostgresCluster.USER);
        MiuProcess spring = null;
        try (MiuProcess file = MiuProcess.start(jar, provider.environment(), logs.resolve("serve-file.log"));
                MiuProcess pgA =
                        MiuProcess.start(jar, provider.environment(), postgres, logs.resolve("serve-pg-a.log"));
                MiuProcess pgB =
                        MiuProcess.start(jar, provider.environment(), postgres, logs.resolve("serve-pg-b.log"))) {
            for (MiuProcess p : List.of(file, pgA, pgB)) {
                p.awaitHealthy(60_000);
            }
            spring = springAi(jar.getFirst(), springAiJar, cluster, provider, logs);
            List<Setup> setups = new ArrayList<>(List.of(
                    new Setup(
                            "file journal, 1 instance",
                            List.of(client(file, provider, answer)),
                            List.of(file),
                            null,
                            false),
                    new Setup(
                            "PostgreSQL, 1 instance",
                            List.of(client(pgA, provider, answer)),
                            List.of(pgA),
                            cluster,
                            false),
                    new Setup(
                            "PostgreSQL, 2 instances",
                            List.of(client(pgA, provider, answer), client(pgB, provider, answer)),
                            List.of(pgA, pgB),
                            cluster,
                            false)));
            if (spring != null) {
                setups.add(new Setup(
                        "Spring AI, JDBC chat memory on PostgreSQL",
                        List.of(client(spring, provider, answer)),
                        List.of(spring),
                        cluster,
                        true));
            }
            md.add("The file journal (`sessions.sync: interval`, the default) beside PostgreSQL 15 from Debian (a"
                    + " throw-away cluster on this machine, `fsync=off` as the test fixture starts it: like the"
                    + " journal's default, a commit waits for the operating system, not the disk), with one `miu serve`"
                    + " and with two on the same database (clients alternate between them). Database, servers, provider"
                    + " and load generator share the same "
                    + Runtime.getRuntime().availableProcessors()
                    + " cores. Each client runs `/chat/invoke` turns back to back on its own sessions (a new one every "
                    + TURNS_PER_SESSION + " turns) for " + measureMillis / 1000.0 + " s after "
                    + warmMillis / 1000.0 + " s of warm-up. CPU per turn: the servers' (every instance's), and for"
                    + " PostgreSQL + the database's processes. "
                    + (spring != null
                            ? "Beside them, the Spring AI peer of `../shared/peers` (Spring Boot 4.0.7, Spring AI 2.0.1"
                                    + " `ChatClient` with `MessageChatMemoryAdvisor` over `JdbcChatMemoryRepository`,"
                                    + " HikariCP defaults) on its own database in the same cluster, with the same"
                                    + " clients, provider and answer."
                            : "The Spring AI peer is not built (`../shared/peers/run.sh` builds it into"
                                    + " `target/peers/`): no column for it."));
            md.add("");
            StringBuilder head = new StringBuilder("| clients |");
            StringBuilder rule = new StringBuilder("|---|");
            for (Setup s : setups) {
                head.append(' ').append(s.name()).append(", turns/s (CPU µs/turn) |");
                rule.append("---|");
            }
            md.add(head.toString());
            md.add(rule.toString());
            String firstError = null;
            for (int c : concurrencies) {
                StringBuilder row = new StringBuilder("| " + c + " |");
                for (Setup s : setups) {
                    Measured m = throughput(s, c, warmMillis, measureMillis);
                    row.append(" **")
                            .append(Math.round(m.turnsPerSecond))
                            .append("** (")
                            .append(Math.round(m.cpuMicrosPerTurn))
                            .append(s.database() == null ? "" : " + " + Math.round(m.databaseMicrosPerTurn))
                            .append(')')
                            .append(m.errors > 0 ? ", " + m.errors + " errors" : "")
                            .append(" |");
                    if (firstError == null) {
                        firstError = m.firstError;
                    }
                }
                md.add(row.toString());
            }
            md.add("");
            md.add("Added latency: " + latencyTurns + " sequential turns per store, each minus the median of as many"
                    + " direct provider calls.");
            md.add("");
            md.add("| store | added p50, ms | added p99, ms |");
            md.add("|---|---|---|");
            StudioClient direct = setups.getFirst().clients().getFirst();
            long[] directNanos = new long[latencyTurns];
            for (int i = 0; i < latencyTurns; i++) {
                long started = System.nanoTime();
                directNanos[i] = direct.direct() - started;
            }
            double directP50 = Stats.of(directNanos).p50();
            for (Setup s : setups) {
                if (s.servers().size() > 1) {
                    continue; // sequential turns on one instance say what a second would
                }
                Stats turns = latency(s.clients().getFirst(), latencyTurns, s.peer());
                md.add("| " + s.name() + " | " + Stats.ms(turns.p50() - directP50) + " | "
                        + Stats.ms(turns.p99() - directP50) + " |");
            }
            if (firstError != null) {
                md.add("");
                md.add("First error: `" + firstError.replace('`', '\'') + "`");
            }
            md.add("");
        } finally {
            if (spring != null) {
                spring.close();
            }
            cluster.dropDatabase(database);
        }
        return md;
    }

    /**
     * The Spring AI peer on a database of its own in {@code cluster}, or null when its jar is not built: the same
     * JDK as miu, its default JVM settings, its {@code durable} profile pointed at PostgreSQL.
     */
    private static MiuProcess springAi(
            String java, Path jar, PostgresCluster cluster, CannedProvider provider, Path logs) throws Exception {
        if (jar == null || !Files.isRegularFile(jar)) {
            return null;
        }
        int port = MiuProcess.freePort();
        MiuProcess spring = MiuProcess.peer(
                List.of(
                        java,
                        "-jar",
                        jar.toString(),
                        "--spring.profiles.active=durable",
                        "--server.port=" + port,
                        "--spring.datasource.url=" + cluster.url(cluster.createDatabase()),
                        "--spring.datasource.username=" + PostgresCluster.USER,
                        "--spring.datasource.password="),
                port,
                provider.environment(),
                logs.resolve("spring-ai.log"),
                "Started PeerApplication",
                "/health");
        spring.awaitHealthy(120_000);
        return spring;
    }

    /** A peer's turns for one client: on sessions it names, a new one every {@link #TURNS_PER_SESSION}. */
    private static ThroughputBench.Call peerTurns() {
        String[] session = {null};
        int[] turns = {0};
        return client -> {
            if (session[0] == null || turns[0]++ % TURNS_PER_SESSION == 0) {
                session[0] = UUID.randomUUID().toString();
            }
            return client.invokePeer(session[0]);
        };
    }

    private static StudioClient client(MiuProcess server, CannedProvider provider, String answer) {
        return new StudioClient(server.port(), provider.port(), ScriptedLlmServer.API_KEY, answer);
    }

    private record Measured(
            double turnsPerSecond,
            double cpuMicrosPerTurn,
            double databaseMicrosPerTurn,
            long errors,
            String firstError) {}

    private static Measured throughput(Setup setup, int clients, long warmMillis, long measureMillis)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmMillis * 1_000_000;
        long measureTo = measureFrom + measureMillis * 1_000_000;
        LongAdder done = new LongAdder();
        LongAdder errors = new LongAdder();
        String[] firstError = new String[1];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            StudioClient own = setup.clients().get(i % setup.clients().size()).copy();
            threads.add(Thread.ofVirtual().start(() -> {
                try (own) {
                    ThroughputBench.loop(
                            own,
                            !setup.peer(),
                            setup.peer() ? peerTurns() : null,
                            measureFrom,
                            measureTo,
                            done,
                            errors,
                            firstError);
                }
            }));
        }
        Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
        long cpuFrom = cpu(setup.servers());
        long databaseFrom = setup.database() == null ? 0 : setup.database().cpuMicros();
        long doneFrom = done.sum();
        Thread.sleep(Math.max(0, (measureTo - System.nanoTime()) / 1_000_000));
        long cpu = cpu(setup.servers()) - cpuFrom;
        long database = setup.database() == null ? 0 : setup.database().cpuMicros() - databaseFrom;
        long turns = Math.max(1, done.sum() - doneFrom);
        for (Thread t : threads) {
            t.join(measureMillis + warmMillis + 120_000);
        }
        return new Measured(
                done.sum() / (measureMillis / 1000.0),
                (double) cpu / turns,
                (double) database / turns,
                errors.sum(),
                firstError[0]);
    }

    private static long cpu(List<MiuProcess> servers) {
        return servers.stream().mapToLong(MiuProcess::cpuMicros).sum();
    }

    /** Sequential turns on one client, a new session every {@link #TURNS_PER_SESSION}, after as many to warm up. */
    private static Stats latency(StudioClient client, int count, boolean peer) throws Exception {
        long[] nanos = new long[count];
        String session = null;
        for (int i = -count; i < count; i++) {
            if (session == null || Math.floorMod(i, TURNS_PER_SESSION) == 0) {
                session = peer ? UUID.randomUUID().toString() : client.createSession();
            }
            long started = System.nanoTime();
            long read = peer ? client.invokePeer(session) : client.invoke(session);
            if (i >= 0) {
                nanos[i] = read - started;
            }
        }
        return Stats.of(nanos);
    }
}
