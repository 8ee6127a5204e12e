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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The measurement behind the choice of miu's HTTP client (issue 22): a provider round trip (POST of an Anthropic
 * request, the answer read to its end as JSON or as SSE events) through {@link KeepAliveHttpClient} and through
 * Helidon's {@link WebClient}, against a {@link CannedProvider} in a process of its own so that this JVM's CPU time
 * is the client's alone. Each client makes 10,000 plain and 10,000 streamed calls one after the other on one
 * virtual thread (after a warm-up), then the same calls from 16 virtual threads at once.
 *
 * <p>Run: {@code java -cp target/classes:target/test-classes:DEPS dev.miu.bench.HttpClientBench [CALLS]}.
 */
public final class HttpClientBench {

    private static final String BODY_PLAIN = "{\"model\":\"bench\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hello\"}]}";
    private static final String BODY_STREAM = BODY_PLAIN.substring(0, BODY_PLAIN.length() - 1) + ",\"stream\":true}";

    /** One way to make the round trip; returns bytes or events read, so the work cannot be optimised away. */
    interface Client extends AutoCloseable {
        long call(boolean stream) throws IOException;

        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path log = Files.createTempFile("miu-http-bench", ".log");
        try (ProviderProcess provider = ProviderProcess.start(System.getProperty("java.home"), 40, 0, log)) {
            URI uri = URI.create("http://127.0.0.1:" + provider.port() + "/v1/messages");
            System.out.println("| client | calls | mode | threads | µs/call mean | p50 | p99 | client CPU µs/call |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (int round = 0; round < 2; round++) { // the second round is the one to read; the first warms both
                for (String name : List.of("KeepAliveHttpClient", "Helidon WebClient")) {
                    try (Client client = name.startsWith("Helidon") ? helidon(uri) : keepAlive(uri)) {
                        for (boolean stream : new boolean[]{false, true}) {
                            run(name, client, stream, round == 0 ? calls / 5 : calls, 1, round == 1);
                            run(name, client, stream, round == 0 ? calls / 5 : calls, 16, round == 1);
                        }
                    }
                }
            }
        }
    }

    private static void run(String name, Client client, boolean stream, int calls, int threads, boolean print)
            throws Exception {
        long[] nanos = new long[calls];
        var next = new AtomicLong();
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofVirtual().start(() -> {
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
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        long wall = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuBefore;
        if (failure.get() != null) {
            throw new IllegalStateException(name + " failed", failure.get());
        }
        if (!print) {
            return;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "| %s | %d | %s | %d | %.1f | %.1f | %.1f | %.1f |%n", name, calls,
                stream ? "stream" : "plain", threads, wall / 1000.0 / calls * threads, sorted[calls / 2] / 1000.0,
                sorted[calls * 99 / 100] / 1000.0, cpu / 1000.0 / calls);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
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
        HttpRequest plain = HttpRequest.postJson(uri, BODY_PLAIN).withHeader("x-api-key", ScriptedLlmServer.API_KEY)
                .withHeader("anthropic-version", "2023-06-01");
        HttpRequest streamed = HttpRequest.postJson(uri, BODY_STREAM).withHeader("x-api-key", ScriptedLlmServer.API_KEY)
                .withHeader("anthropic-version", "2023-06-01").withHeader("accept", "text/event-stream");
        return new Client() {
            @Override
            public long call(boolean stream) throws IOException {
                try (HttpResponse response = http.send(stream ? streamed : plain); InputStream body = response.body()) {
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
        WebClient web = WebClient.builder().connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(60))
                .followRedirects(false).connectionCacheSize(512).build();
        byte[] plain = BODY_PLAIN.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] streamed = BODY_STREAM.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Client() {
            @Override
            public long call(boolean stream) throws IOException {
                var request = web.post().uri(uri)
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
