package dev.miu.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Chat turns per second at several concurrencies, each client on its own session (a session runs one turn at a
 * time), with durable sessions ({@code sessions.sync: always}). The same clients sending the model request straight to
 * the provider give the side-by-side ceiling of this machine.
 */
final class ThroughputBench {

    /** A client starts a fresh session after this many turns, so histories (and the model requests) stay short. */
    static final int TURNS_PER_SESSION = 20;

    private ThroughputBench() {}

    record Result(
            double turnsPerSecond,
            long errors,
            String firstError,
            double serverCpuMicrosPerCall,
            double jitCpuMicrosPerCall) {}

    static List<String> run(
            StudioClient client, MiuProcess server, int[] concurrencies, long warmMillis, long measureMillis)
            throws Exception {
        List<String> out = new ArrayList<>();
        out.add("### Throughput");
        out.add("");
        out.add("Each of C clients runs turns back to back for " + measureMillis / 1000.0 + " s (after "
                + warmMillis / 1000.0
                + " s of warm-up), on its own session, a fresh one every " + TURNS_PER_SESSION + " turns. Sessions are "
                + "durable (`sessions.sync: always`: a turn's one write waits for the session journal's write to be on disk, a flush concurrent writers share). \"Direct\" is the same clients sending the model request straight to the "
                + "provider: the ceiling of the load generator and provider on this machine. Server CPU per turn is the CPU "
                + "time (user + system) `miu serve` used during the measured seconds divided by the turns it completed: it "
                + "shows what a turn costs even when the shared cores are what limits turns per second; the next column leaves out the "
                + "JIT compiler's threads, which are still busy in the first minute of a server's life.");
        out.add("");
        out.add(
                "| clients | direct to provider, req/s | through miu, turns/s | miu / direct | server CPU per turn, µs | without the JIT compiler, µs | errors (direct / miu) |");
        out.add("|---|---|---|---|---|---|---|");
        String firstError = null;
        for (int c : concurrencies) {
            Result direct = measure(c, warmMillis, measureMillis, StudioClient::direct, client, false, server);
            Result miu = measure(c, warmMillis, measureMillis, null, client, true, server);
            out.add("| " + c + " | " + Math.round(direct.turnsPerSecond()) + " | **" + Math.round(miu.turnsPerSecond())
                    + "** | "
                    + String.format(java.util.Locale.ROOT, "%.2f", miu.turnsPerSecond() / direct.turnsPerSecond())
                    + " | "
                    + Math.round(miu.serverCpuMicrosPerCall()) + " | "
                    + Math.round(miu.serverCpuMicrosPerCall() - miu.jitCpuMicrosPerCall()) + " | "
                    + direct.errors() + " / " + miu.errors() + " |");
            if (firstError == null) {
                firstError = miu.firstError() != null ? miu.firstError() : direct.firstError();
            }
        }
        if (firstError != null) {
            out.add("");
            out.add("First error: `" + firstError.replace('`', '\'') + "`");
        }
        out.add("");
        return out;
    }

    @FunctionalInterface
    interface Call {
        long call(StudioClient client) throws Exception;
    }

    private static Result measure(
            int clients,
            long warmMillis,
            long measureMillis,
            Call directCall,
            StudioClient client,
            boolean viaMiu,
            MiuProcess server)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmMillis * 1_000_000;
        long measureTo = measureFrom + measureMillis * 1_000_000;
        LongAdder done = new LongAdder();
        LongAdder errors = new LongAdder();
        String[] firstError = new String[1];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            StudioClient own = client.copy(); // one connection per client to each server
            threads.add(Thread.ofVirtual().start(() -> {
                try (own) {
                    loop(own, viaMiu, directCall, measureFrom, measureTo, done, errors, firstError);
                }
            }));
        }
        Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
        long cpuFrom = server.cpuMicros();
        long jitFrom = server.jitCpuMicros();
        long doneFrom = done.sum();
        Thread.sleep(Math.max(0, (measureTo - System.nanoTime()) / 1_000_000));
        long cpu = server.cpuMicros() - cpuFrom;
        long jit = Math.max(0, server.jitCpuMicros() - jitFrom);
        long calls = Math.max(1, done.sum() - doneFrom);
        for (Thread t : threads) {
            t.join(measureMillis + warmMillis + 120_000);
        }
        return new Result(
                done.sum() / (measureMillis / 1000.0),
                errors.sum(),
                firstError[0],
                (double) cpu / calls,
                (double) jit / calls);
    }

    /** Runs turns (or direct calls) back to back until {@code measureTo}, counting those that end in the window. */
    static void loop(
            StudioClient client,
            boolean viaMiu,
            Call directCall,
            long measureFrom,
            long measureTo,
            LongAdder done,
            LongAdder errors,
            String[] firstError) {
        String session = null;
        int turns = 0;
        while (System.nanoTime() < measureTo) {
            try {
                if (viaMiu) {
                    if (session == null || turns++ % TURNS_PER_SESSION == 0) {
                        session = client.createSession();
                    }
                    client.invoke(session);
                } else {
                    directCall.call(client);
                }
                long now = System.nanoTime();
                if (now >= measureFrom && now < measureTo) {
                    done.increment();
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
            }
        }
    }
}
