package dev.miu.bench;

import dev.miu.core.http.HttpRequest;
import dev.miu.core.http.HttpResponse;
import dev.miu.core.http.KeepAliveHttpClient;
import dev.miu.core.http.SseReader;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The measurement behind the choice of miu's HTTP client (issue 22): a provider round trip (POST of an Anthropic
 * request, the answer read to its end as JSON or as SSE events) through {@link KeepAliveHttpClient} and through
 * Helidon's {@link WebClient}, against a {@link CannedProvider} in a process of its own so that this JVM's CPU time
 * is the client's alone. Each client makes 10,000 plain and 10,000 streamed calls from one virtual thread, then
 * from 16 at once (platform threads, whose own CPU time is measured beside the process's); the clients take turns for several rounds after a warm-up, and the medians are printed.
 *
 * <p>Run: {@code java -cp target/classes:target/test-classes:DEPS dev.miu.bench.HttpClientBench [CALLS [ROUNDS]]}.
 */
public final class HttpClientBench {

    private static final String BODY_PLAIN =
            "{\"model\":\"bench\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\"," + "\"content\":\"hello\"}]}";
    private static final String BODY_STREAM = BODY_PLAIN.substring(0, BODY_PLAIN.length() - 1) + ",\"stream\":true}";

    /** One way to make the round trip; returns bytes or events read, so the work cannot be optimised away. */
    interface Client extends AutoCloseable {
        long call(boolean stream) throws IOException;

        @Override
        void close();
    }

    /** One measured run: median latency and client CPU per call. */
    private record Result(double p50, double p99, double cpuPerCall, double callerCpuPerCall) {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path log = Files.createTempFile("miu-http-bench", ".log");
        Map<String, List<Result>> results = new LinkedHashMap<>();
        try (ProviderProcess provider = ProviderProcess.start(System.getProperty("java.home"), 40, 0, log)) {
            URI uri = URI.create("http://127.0.0.1:" + provider.port() + "/v1/messages");
            // the clients take turns round by round, so a busy moment of the machine falls on both; round 0 warms up
            for (int round = 0; round <= rounds; round++) {
                for (String name : List.of("KeepAliveHttpClient", "Helidon WebClient")) {
                    try (Client client = name.startsWith("Helidon") ? helidon(uri) : keepAlive(uri)) {
                        for (boolean stream : new boolean[] {false, true}) {
                            for (int threads : new int[] {1, 16}) {
                                Result r = run(name, client, stream, round == 0 ? calls / 2 : calls, threads);
                                if (round > 0) {
                                    results.computeIfAbsent(
                                                    name + " | " + (stream ? "stream" : "plain") + " | " + threads,
                                                    k -> new ArrayList<>())
                                            .add(r);
                                }
                            }
                        }
                    }
                }
            }
        }
        System.out.println("Medians of " + rounds + " rounds of " + calls + " calls each:");
        System.out.println(
                "| client | mode | callers | p50 µs | p99 µs | process CPU µs/call | callers' CPU µs/call |");
        System.out.println("|---|---|---|---|---|---|---|");
        results.forEach((key, list) -> System.out.printf(
                Locale.ROOT,
                "| %s | %.0f | %.0f | %.0f | %.0f |%n",
                key,
                median(list.stream().mapToDouble(Result::p50)),
                median(list.stream().mapToDouble(Result::p99)),
                median(list.stream().mapToDouble(Result::cpuPerCall)),
                median(list.stream().mapToDouble(Result::callerCpuPerCall))));
    }

    private static double median(java.util.stream.DoubleStream values) {
        double[] sorted = values.sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static Result run(String name, Client client, boolean stream, int calls, int threads) throws Exception {
        long[] nanos = new long[calls];
        var next = new AtomicLong();
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        var callerCpu = new AtomicLong();
        long cpuBefore = processCpuNanos();
        List<Thread> workers = new ArrayList<>();
        var threadMx = ManagementFactory.getThreadMXBean();
        for (int t = 0; t < threads; t++) {
            // platform threads, so each caller's own CPU time can be read (the JIT and GC threads are not in it)
            workers.add(Thread.ofPlatform().start(() -> {
                long ownBefore = threadMx.getCurrentThreadCpuTime();
                try {
                    long i;
                    while ((i = next.getAndIncrement()) < calls) {
                        long t0 = System.nanoTime();
                        if (client.call(stream) <= 0) {
                            throw new IOException("empty answer");
                        }
                        nanos[(int) i] = System.nanoTime() - t0;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    next.set(calls);
                }
                callerCpu.addAndGet(threadMx.getCurrentThreadCpuTime() - ownBefore);
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        long cpu = processCpuNanos() - cpuBefore;
        if (failure.get() != null) {
            throw new IllegalStateException(name + " failed", failure.get());
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Result(
                sorted[calls / 2] / 1000.0,
                sorted[calls * 99 / 100] / 1000.0,
                cpu / 1000.0 / calls,
                callerCpu.get() / 1000.0 / calls);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Reads what a provider reader would: the whole JSON, or every SSE event. */
    private static long consume(InputStream body, boolean stream) throws IOException {
        if (!stream) {
            return body.readAllBytes().length;
        }
        var events = new SseReader(body);
        long n = 0;
        SseReader.Event event;
        while ((event = events.next()) != null) {
            n += event.data().length();
        }
        return n;
    }

    private static Client keepAlive(URI uri) {
        var http = new KeepAliveHttpClient(Duration.ofSeconds(10), Duration.ofSeconds(60), 512);
        HttpRequest plain = HttpRequest.postJson(uri, BODY_PLAIN)
                .withHeader("x-api-key", ScriptedLlmServer.API_KEY)
                .withHeader("anthropic-version", "2023-06-01");
        HttpRequest streamed = HttpRequest.postJson(uri, BODY_STREAM)
                .withHeader("x-api-key", ScriptedLlmServer.API_KEY)
                .withHeader("anthropic-version", "2023-06-01")
                .withHeader("accept", "text/event-stream");
        return new Client() {
            @Override
            public long call(boolean stream) throws IOException {
                try (HttpResponse response = http.send(stream ? streamed : plain);
                        InputStream body = response.body()) {
                    if (response.status() != 200) {
                        throw new IOException("HTTP " + response.status());
                    }
                    return consume(body, stream);
                }
            }

            @Override
            public void close() {
                http.close();
            }
        };
    }

    private static Client helidon(URI uri) {
        WebClient web = WebClient.builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .followRedirects(false)
                .connectionCacheSize(512)
                .build();
        byte[] plain = BODY_PLAIN.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] streamed = BODY_STREAM.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Client() {
            @Override
            public long call(boolean stream) throws IOException {
                var request = web.post()
                        .uri(uri)
                        .header(HeaderNames.CONTENT_TYPE, "application/json")
                        .header(HeaderNames.create("x-api-key"), ScriptedLlmServer.API_KEY)
                        .header(HeaderNames.create("anthropic-version"), "2023-06-01");
                if (stream) {
                    request.header(HeaderNames.ACCEPT, "text/event-stream");
                }
                try (HttpClientResponse response = request.submit(stream ? streamed : plain);
                        InputStream body = response.inputStream()) {
                    if (response.status().code() != 200) {
                        throw new IOException("HTTP " + response.status());
                    }
                    return consume(body, stream);
                }
            }

            @Override
            public void close() {
                web.closeResource();
            }
        };
    }
}
