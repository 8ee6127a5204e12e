package dev.miu.bench;

import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every studio benchmark against {@code miu serve} in its own process and writes the tables as the
 * {@code ## Studio} section of BENCHMARKS.md (other sections of the file are kept).
 * Usage: {@code StudioBench ROOT [--full] [--out FILE] [--only latency,throughput,stores,concurrency,startup]}.
 */
public final class StudioBench {

    private StudioBench() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        boolean full = false;
        Path out = root.resolve("BENCHMARKS.md");
        String only = "latency,throughput,stores,concurrency,startup";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--full" -> full = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> only = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String javaHome = System.getProperty("java.home");
        Path logs = Files.createTempDirectory("miu-bench-logs");
        List<String> jar = new ArrayList<>(List.of(javaHome + "/bin/java"));
        String serverOpts = System.getenv("MIU_BENCH_SERVER_OPTS"); // e.g. a JFR recording while profiling
        if (serverOpts != null && !serverOpts.isBlank()) {
            jar.addAll(List.of(serverOpts.trim().split("\\s+")));
        }
        jar.addAll(List.of("-jar", root.resolve("target/miu.jar").toString()));
        String answer = words(20);
        Reply.Turn fast = Reply.text(answer);
        Reply.Turn slow = Reply.text(words(100)).withChunkDelay(Duration.ofMillis(50));

        List<String> md = new ArrayList<>();
        md.add("## Studio");
        md.add("");
        md.add("Written by `bench/run.sh" + (full ? " --full" : "") + "` on "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                + ": " + Runtime.getRuntime().availableProcessors() + " cores (load average " + loadAverage()
                + " at the start, "
                + "shared with other work), JDK " + System.getProperty("java.version")
                + ". `miu serve` runs as its own "
                + "process (`java -jar target/miu.jar serve`, default JVM settings, sessions in a temporary `MIU_DATA_DIR`); "
                + "the load generator and the provider share a second JVM on the same cores. The provider (`CannedProvider`) "
                + "speaks the Anthropic Messages protocol over plain keep-alive sockets and answers every call with the same "
                + "canned 20-word turn (streamed as chunked SSE, rendered once); the load generator is a minimal blocking "
                + "HTTP/1.1 and WebSocket client (`HttpConnection`, `WsConnection`: one keep-alive connection per client and "
                + "server, TCP_NODELAY), the same for calls to miu and to the provider, and it checks every answer. "
                + "Every figure is a pair or a ratio from the same run.");
        md.add("");
        long startedAll = System.nanoTime();
        if (only.contains("latency") || only.contains("throughput")) {
            // platform threads: a few hundred keep-alive connections, each read wakes its thread directly
            try (CannedProvider provider = CannedProvider.start(fast, true);
                    // "durable sessions on": each turn's journal write on disk before its answer
                    MiuProcess durable = MiuProcess.start(
                            jar,
                            provider.environment(),
                            Map.of("MIU_SESSIONS_SYNC", "always"),
                            logs.resolve("serve-always.log"))) {
                durable.awaitHealthy(60_000);
                try (var durableClient =
                        new StudioClient(durable.port(), provider.port(), ScriptedLlmServer.API_KEY, answer)) {
                    if (only.contains("latency")) {
                        log("latency");
                        // miu as it ships (the journal flushed every second), interleaved with the durable one
                        try (MiuProcess server =
                                MiuProcess.start(jar, provider.environment(), logs.resolve("serve.log"))) {
                            server.awaitHealthy(60_000);
                            try (var client = new StudioClient(
                                    server.port(), provider.port(), ScriptedLlmServer.API_KEY, answer)) {
                                md.addAll(LatencyBench.run(
                                        client, durableClient, full ? 10_000 : 2_000, full ? 1_000 : 200));
                            }
                        }
                    }
                    if (only.contains("throughput")) {
                        log("throughput");
                        // --full: 10 s of warm-up per measurement, as the JIT still compiles well into the first minute
                        // (3 s before 2026-11-24)
                        md.addAll(ThroughputBench.run(
                                durableClient,
                                durable,
                                new int[] {1, 16, 64, 256},
                                full ? 10_000 : 2_000,
                                full ? 10_000 : 4_000));
                    }
                }
            }
        }
        if (only.contains("stores")) {
            log("stores");
            try (CannedProvider provider = CannedProvider.start(fast, true)) {
                md.addAll(StoreBench.run(
                        jar,
                        StoreBench.springAiJar(root),
                        provider,
                        answer,
                        logs,
                        new int[] {16, 64, 256},
                        full ? 10_000 : 3_000,
                        full ? 10_000 : 5_000,
                        full ? 2_000 : 500));
            }
        }
        if (only.contains("concurrency")) {
            // its own process (virtual threads), so 10,000 streams stay within this JVM's open-file limit
            try (ProviderProcess provider =
                    ProviderProcess.start(javaHome, 100, slow.chunkDelay().toMillis(), logs.resolve("provider.log"))) {
                md.addAll(concurrency(
                        jar, provider, answer, logs, full ? new int[] {1_000, 5_000, 10_000} : new int[] {1_000}));
            }
        }
        if (only.contains("startup")) {
            log("startup");
            // the streams leave this JVM (the load generator) with the garbage of up to 10,000 connections and their
            // threads: collect it now and let the machine settle, so no start-up below shares the cores with it
            System.gc();
            Thread.sleep(2_000);
            try (CannedProvider provider = CannedProvider.start(fast, true)) {
                md.addAll(StartupBench.run(root, javaHome, provider.environment(), full ? 10 : 3, logs));
            }
        }
        Path notes = root.resolve("bench/studio-notes.md"); // hand-written: what dominates, what changed
        if (Files.exists(notes)) {
            md.addAll(Files.readAllLines(notes));
            md.add("");
        }
        md.add("The whole run took " + Math.round((System.nanoTime() - startedAll) / 1e9) + " s. Server logs: `" + logs
                + "`.");
        md.add("");
        BenchReport.writeSection(out, "## Studio", md);
        log("wrote " + out);
    }

    private static List<String> concurrency(
            List<String> jar, ProviderProcess provider, String answer, Path logs, int[] sizes) throws Exception {
        List<String> md = new ArrayList<>();
        md.add("### Concurrent streams");
        md.add("");
        md.add(
                "N SSE chats at once, each on its own session, against a slow provider (100 chunks, 50 ms apart: about 5 s per "
                        + "answer; the same canned provider, in a JVM of its own so that 2 sockets per stream stay within the open-file "
                        + "limit), opened over about 3 s so they overlap; a fresh server per N. miu holds 2 sockets per open stream (the client's "
                        + "and its provider call), so with " + openFileLimit()
                        + " open files allowed per process here, 10,000 streams "
                        + "all active at once are at the limit. Sustained = every chunk and the "
                        + "done event arrived. When the machine cannot deliver every chunk on time, streams stretch: the wall time "
                        + "and the chunk rate show by how much. Memory per stream = (peak RSS during the run - RSS before) / N.");
        md.add("");
        md.add(
                "| streams | sustained | errors | peak open at once | wall s (5.3 s if nothing waited) | chunks delivered per s | server RSS before / peak, MiB | RSS per stream, KiB |");
        md.add("|---|---|---|---|---|---|---|---|");
        List<String> errors = new ArrayList<>();
        for (int n : sizes) {
            log("concurrency " + n);
            try (MiuProcess server =
                    MiuProcess.start(jar, provider.environment(), logs.resolve("serve-" + n + ".log"))) {
                server.awaitHealthy(60_000);
                var client = new StudioClient(server.port(), provider.port(), ScriptedLlmServer.API_KEY, answer);
                var r = ConcurrencyBench.run(server, client, n, 100, Math.max(100, n / 3), 120_000);
                client.close();
                md.add("| " + n + " | **" + r.sustained() + "** | " + r.errors() + " | " + r.peakOpen() + " | "
                        + String.format(Locale.ROOT, "%.1f", r.seconds()) + " | "
                        + Math.round(r.sustained() * 100 / r.seconds())
                        + " | " + r.rssBeforeKib() / 1024 + " / "
                        + r.rssPeakKib() / 1024 + " | " + Math.round((r.rssPeakKib() - r.rssBeforeKib()) / (double) n)
                        + " |");
                if (r.firstError() != null) {
                    errors.add(n + " streams: `" + r.firstError().replace('`', '\'') + "`");
                }
            }
        }
        if (!errors.isEmpty()) {
            md.add("");
            md.add("First errors: " + String.join("; ", errors));
        }
        md.add("");
        return md;
    }

    static String words(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : " ").append("word").append(i);
        }
        return text.toString();
    }

    /** The soft limit on open files of this process (and of the servers it starts), from /proc. */
    private static String openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return String.format(
                            Locale.ROOT,
                            "%,d",
                            Long.parseLong(line.substring(26).trim().split("\\s+")[0]));
                }
            }
        } catch (Exception e) {
            // reported as unknown
        }
        return "an unknown number of";
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "unknown";
        }
    }

    static void log(String what) {
        System.out.println("[bench " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] " + what);
    }
}
