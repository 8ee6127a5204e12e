package dev.miu.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * N concurrent SSE chats against a slow provider, each on its own session, opened at a steady rate; a stream is
 * sustained when all its chunks and the done event arrive. Uses plain sockets (one virtual thread each), so the
 * load generator stays light. The server's RSS is sampled while all streams are open.
 */
final class ConcurrencyBench {

    private ConcurrencyBench() {}

    record Result(
            int streams,
            long sustained,
            long errors,
            int peakOpen,
            long rssBeforeKib,
            long rssPeakKib,
            double seconds,
            String firstError) {}

    static Result run(
            MiuProcess server,
            StudioClient client,
            int streams,
            int expectedChunks,
            int opensPerSecond,
            long timeoutMillis)
            throws Exception {
        List<String> sessions = createSessions(client, streams);
        // warm-up: the stream path, on the first sessions (which then start their measured stream with one turn behind
        // them). No sessions beyond N: the server keeps at most 10,000 in memory, and past that it drops a tenth of
        // them, which the streams would then read back from their files (5 extra sessions, never used, did that)
        for (int i = 0; i < 5; i++) {
            stream(server.port(), sessions.get(i), expectedChunks, timeoutMillis);
        }
        System.gc();
        long before = server.rssKib();
        LongAdder sustained = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicLong peak = new AtomicLong(before);
        java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger peakOpen = new java.util.concurrent.atomic.AtomicInteger();
        var firstError = new ConcurrentHashMap<String, String>();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>(streams);
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    peak.accumulateAndGet(server.rssKib(), Math::max);
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    return; // the server is gone; errors show it
                }
            }
        });
        long intervalNanos = 1_000_000_000L / opensPerSecond;
        for (int i = 0; i < streams; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String session = sessions.get(i);
            threads.add(Thread.ofVirtual().start(() -> {
                peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                try {
                    int chunks = stream(server.port(), session, expectedChunks, timeoutMillis);
                    if (chunks == expectedChunks) {
                        sustained.increment();
                    } else {
                        errors.increment();
                        firstError.putIfAbsent(
                                "e", "stream ended after " + chunks + " of " + expectedChunks + " chunks");
                    }
                } catch (IOException | RuntimeException e) {
                    errors.increment();
                    firstError.putIfAbsent("e", e.toString());
                } finally {
                    open.decrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            t.join(timeoutMillis + 60_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join();
        return new Result(
                streams,
                sustained.sum(),
                errors.sum(),
                peakOpen.get(),
                before,
                peak.get(),
                seconds,
                firstError.get("e"));
    }

    private static List<String> createSessions(StudioClient client, int count) throws InterruptedException {
        String[] ids = new String[count];
        List<Thread> threads = new ArrayList<>();
        int workers = 32;
        for (int w = 0; w < workers; w++) {
            int first = w;
            threads.add(Thread.ofVirtual().start(() -> {
                try (StudioClient own = client.copy()) {
                    for (int i = first; i < ids.length; i += workers) {
                        ids[i] = own.createSession();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(600_000);
        }
        List<String> out = new ArrayList<>(List.of(ids));
        if (out.contains(null)) {
            throw new IllegalStateException("could not create " + count + " sessions");
        }
        return out;
    }

    /** One SSE chat over a plain socket; returns the number of chunk events, or -1 if no done event came. */
    private static int stream(int port, String session, int expectedChunks, long timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
            socket.setSoTimeout((int) timeoutMillis);
            byte[] body = StudioClient.chatBody(session).getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/chat/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            var reader =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 2048);
            String status = reader.readLine();
            if (status == null || !status.startsWith("HTTP/1.1 200")) {
                throw new IOException("stream answered " + status);
            }
            int chunks = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.contains("\"type\":\"chunk\"")) {
                    chunks++;
                } else if (line.contains("\"type\":\"done\"")) {
                    return chunks;
                } else if (line.contains("\"type\":\"error\"")) {
                    throw new IOException("error event: " + line);
                }
            }
            return -1;
        }
    }
}
