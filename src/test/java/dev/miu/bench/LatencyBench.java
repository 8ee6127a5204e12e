package dev.miu.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Added latency: the same turn sequentially through miu and straight to the provider, interleaved so both see the
 * same machine state; and for streams, time to first chunk and the gap between chunks over SSE and WebSocket.
 */
final class LatencyBench {

    private LatencyBench() {}

    /**
     * {@code client} talks to a server with the default session sync (the journal flushed every second),
     * {@code durable} to one with {@code sessions.sync: always} (each turn's write on disk before its answer): invoke
     * turns go to both, interleaved; streams go to {@code client}.
     */
    static List<String> run(StudioClient client, StudioClient durable, int turns, int streams) throws Exception {
        // warm-up: JIT both paths. Twice the measured turns: a method called once per turn reaches C2 after some
        // thousands of calls, and with a fifth of them (as before) its compilation fell inside the measured turns
        String warm = client.createSession();
        String warmDurable = durable.createSession();
        for (int i = 0; i < Math.max(200, turns * 2); i++) {
            if (i % 20 == 0) {
                warm = client.createSession();
                warmDurable = durable.createSession();
            }
            client.invoke(warm);
            client.direct();
            durable.invoke(warmDurable);
        }
        long[] viaMiu = new long[turns];
        long[] direct = new long[turns];
        long[] viaDurable = new long[turns];
        String session = client.createSession();
        String durableSession = durable.createSession();
        for (int i = 0; i < turns; i++) {
            if (i % 20 == 0) {
                session = client.createSession(); // keeps histories short, as in a fresh chat
                durableSession = durable.createSession();
            }
            long t0 = System.nanoTime();
            long t1 = client.invoke(session); // when the answer was read; checking it is not timed
            long t2 = System.nanoTime();
            long t3 = client.direct();
            long t4 = System.nanoTime();
            long t5 = durable.invoke(durableSession);
            viaMiu[i] = t1 - t0;
            direct[i] = t3 - t2;
            viaDurable[i] = t5 - t4;
        }
        Stats miu = Stats.of(viaMiu);
        Stats raw = Stats.of(direct);
        Stats miuDurable = Stats.of(viaDurable);

        List<StreamTiming> sse = new ArrayList<>();
        List<StreamTiming> ws = new ArrayList<>();
        List<StreamTiming> providerStreams = new ArrayList<>();
        ChatSocket socket = null;
        try {
            for (int i = 0; i < streams + 20; i++) {
                if (i % 20 == 0) {
                    session = client.createSession();
                    if (socket != null) {
                        socket.close();
                    }
                    socket = client.openSocket(client.createSession());
                }
                StreamTiming s = client.sseStream(session);
                StreamTiming w = socket.turn();
                StreamTiming d = client.directStream();
                if (i >= 20) { // the first 20 are warm-up
                    sse.add(s);
                    ws.add(w);
                    providerStreams.add(d);
                }
            }
        } finally {
            if (socket != null) {
                socket.close();
            }
        }
        Stats directFirst = Stats.of(providerStreams.stream()
                .mapToLong(StreamTiming::firstChunkNanos)
                .toArray());
        Stats directGap = Stats.of(
                providerStreams.stream().mapToLong(StreamTiming::meanGapNanos).toArray());
        Stats sseFirst =
                Stats.of(sse.stream().mapToLong(StreamTiming::firstChunkNanos).toArray());
        Stats sseGap =
                Stats.of(sse.stream().mapToLong(StreamTiming::meanGapNanos).toArray());
        Stats wsFirst =
                Stats.of(ws.stream().mapToLong(StreamTiming::firstChunkNanos).toArray());
        Stats wsGap = Stats.of(ws.stream().mapToLong(StreamTiming::meanGapNanos).toArray());

        List<String> out = new ArrayList<>();
        out.add("### Added latency");
        out.add("");
        out.add(
                turns + " sequential turns (after " + Math.max(200, turns * 2)
                        + " of warm-up), each timed through `POST /api/v1/chat/invoke`, then sent straight to the same "
                        + "provider (the streamed model request miu makes, read to its end), then through a second `miu serve` with `sessions.sync: always`, interleaved; each timed to the end of its answer "
                        + "(checking the answer is not timed). The provider has no think time. "
                        + "Every miu turn reads the session, stages the user's message and stores it with the answer in one write to the session journal (the session file follows in the background). "
                        + "With the default `sessions.sync: interval` the turn waits only for the operating system to have that write, and the journal is flushed every second; "
                        + "with `always` it waits for the write to be on disk (`O_DSYNC`, and `O_DIRECT` where the file system allows it). The streams below go to the default server.");
        out.add("");
        out.add(
                "| ms | direct to provider | through miu (default, `sync: interval`) | added by miu | through miu (`sync: always`) | added by miu |");
        out.add("|---|---|---|---|---|---|");
        out.add(row("p50", raw.p50(), miu.p50(), miuDurable.p50()));
        out.add(row("p99", raw.p99(), miu.p99(), miuDurable.p99()));
        out.add("");
        int chunks = providerStreams.isEmpty() ? 0 : providerStreams.getFirst().chunks();
        out.add(streams + " streamed turns of " + chunks + " chunks each way, interleaved; medians over streams "
                + "(gap = mean gap between one stream's chunks). SSE sends a new request per turn (on a kept-alive "
                + "connection); the WebSocket stays open and is timed from sending the message.");
        out.add("");
        out.add(
                "| ms (p50) | direct to provider | SSE `/chat/stream` | added (SSE) | WebSocket `/chat/ws` | added (WS) |");
        out.add("|---|---|---|---|---|---|");
        out.add(streamRow("time to first chunk", directFirst.p50(), sseFirst.p50(), wsFirst.p50()));
        out.add(streamRow("gap between chunks", directGap.p50(), sseGap.p50(), wsGap.p50()));
        out.add(streamRow("time to first chunk, p99", directFirst.p99(), sseFirst.p99(), wsFirst.p99()));
        out.add("");
        return out;
    }

    private static String row(String name, double direct, double miu, double miuDurable) {
        return "| " + name + " | " + Stats.ms(direct) + " | " + Stats.ms(miu) + " | **" + Stats.ms(miu - direct)
                + "** | " + Stats.ms(miuDurable) + " | **" + Stats.ms(miuDurable - direct) + "** |";
    }

    private static String streamRow(String name, double direct, double sse, double ws) {
        return "| " + name + " | " + Stats.ms(direct) + " | " + Stats.ms(sse) + " | **" + Stats.ms(sse - direct)
                + "** | " + Stats.ms(ws) + " | **" + Stats.ms(ws - direct) + "** |";
    }
}
