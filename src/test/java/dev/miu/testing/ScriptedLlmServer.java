package dev.miu.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.miu.core.provider.ProviderSettings;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A language-model server for tests that speaks the real wire protocols over real HTTP: Anthropic Messages
 * ({@code /v1/messages}), OpenAI Chat Completions ({@code /v1/chat/completions}) and Gemini
 * ({@code /v1beta/models/MODEL:generateContent} and {@code :streamGenerateContent?alt=sse}), each plain or streamed.
 * Replies are scripted in order; a call with no reply left is answered with an error and recorded as a failure,
 * and {@link #assertAllConsumed()} fails on unused replies or unexpected calls, so tests see every surprise.
 * <p>
 * Registered as a JUnit extension it checks that after every test and starts each test with an empty script:
 * <pre>{@code
 * @RegisterExtension
 * static final ScriptedLlmServer llm = ScriptedLlmServer.start();   // one server for the class, closed after it
 * @RegisterExtension
 * final ScriptedLlmServer llm = ScriptedLlmServer.start();          // one server per test, closed after it
 * }</pre>
 * The server starts when the field is set, so {@code @SetUpRoute} and {@code @BeforeAll} methods can use it.
 * A test that means to leave replies unused or make unscripted calls says so with {@link #reset()}.
 */
public final class ScriptedLlmServer implements AutoCloseable, BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    public static final String API_KEY = "sk-test-scripted-key";

    private final HttpServer server;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<Reply> replies = new ArrayDeque<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Reply fallback;
    private boolean oneForTheClass;

    private ScriptedLlmServer(HttpServer server) {
        this.server = server;
    }

    public static ScriptedLlmServer start() {
        return start(null);
    }

    /** The same server over TLS with {@code tls}'s certificate (null: plain HTTP). */
    public static ScriptedLlmServer start(javax.net.ssl.SSLContext tls) {
        try {
            var address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            HttpServer server;
            if (tls == null) {
                server = HttpServer.create(address, 0);
            } else {
                var https = com.sun.net.httpserver.HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
                server = https;
            }
            var scripted = new ScriptedLlmServer(server);
            server.createContext("/", scripted::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return scripted;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the scripted LLM server", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}: the Anthropic base URL. */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort();
    }

    /** The OpenAI-style base URL, ending in {@code /v1}. */
    public String openAiBaseUrl() {
        return baseUrl() + "/v1";
    }

    /** Provider settings that point Anthropic, OpenAI and Gemini at this server. */
    public ProviderSettings settings() {
        return new ProviderSettings(API_KEY, baseUrl(), API_KEY, openAiBaseUrl(), null, API_KEY, baseUrl());
    }

    /** Environment variables that point every provider at this server, as a user would set them. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ANTHROPIC_API_KEY", API_KEY);
        env.put("ANTHROPIC_BASE_URL", baseUrl());
        env.put("OPENAI_API_KEY", API_KEY);
        env.put("OPENAI_BASE_URL", openAiBaseUrl());
        env.put("GEMINI_API_KEY", API_KEY);
        env.put("GEMINI_BASE_URL", baseUrl());
        return env;
    }

    public ScriptedLlmServer enqueue(Reply... more) {
        lock.lock();
        try {
            replies.addAll(List.of(more));
        } finally {
            lock.unlock();
        }
        return this;
    }

    /** A reply used whenever the script is empty (for load tests and demos); null restores strict mode. */
    public ScriptedLlmServer fallback(Reply reply) {
        lock.lock();
        try {
            this.fallback = reply;
        } finally {
            lock.unlock();
        }
        return this;
    }

    public List<RecordedRequest> requests() {
        lock.lock();
        try {
            return List.copyOf(requests);
        } finally {
            lock.unlock();
        }
    }

    public RecordedRequest lastRequest() {
        List<RecordedRequest> all = requests();
        if (all.isEmpty()) {
            throw new AssertionError("The scripted LLM server received no request");
        }
        return all.getLast();
    }

    public int requestCount() {
        return requests().size();
    }

    /** Fails if a scripted reply was never used or a call arrived with no reply scripted. */
    public void assertAllConsumed() {
        lock.lock();
        try {
            if (!failures.isEmpty()) {
                throw new AssertionError("Unexpected model calls: " + failures);
            }
            if (!replies.isEmpty()) {
                throw new AssertionError(replies.size() + " scripted replies were never requested: " + replies);
            }
        } finally {
            lock.unlock();
        }
    }

    public void reset() {
        lock.lock();
        try {
            replies.clear();
            requests.clear();
            failures.clear();
            fallback = null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
        }
    }

    /** Called only for a static field: the server then serves every test of the class. */
    @Override
    public void beforeAll(ExtensionContext context) {
        oneForTheClass = true;
    }

    /** Fails the test if the script was not used up, then empties it for the next test (or closes a per-test server). */
    @Override
    public void afterEach(ExtensionContext context) {
        try {
            assertAllConsumed();
        } finally {
            if (oneForTheClass) {
                reset();
            } else {
                close();
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            String path = exchange.getRequestURI().getPath();
            var request = new RecordedRequest(exchange.getRequestMethod(), path, headers, body);
            Wire wire = Wire.forPath(path);
            Reply reply;
            lock.lock();
            try {
                requests.add(request);
                reply = replies.poll();
                if (reply == null) {
                    reply = fallback;
                }
                if (reply == null) {
                    failures.add(exchange.getRequestMethod() + " " + path);
                }
            } finally {
                lock.unlock();
            }
            if (wire == null) {
                sendJson(
                        exchange,
                        404,
                        "{\"error\":{\"type\":\"not_found_error\",\"message\":\"scripted server: no API at " + path
                                + "\"}}");
                return;
            }
            if (reply == null) {
                sendJson(exchange, 400, wire.errorBody("scripted_server_error", "unexpected call: no reply scripted"));
                return;
            }
            boolean stream = request.streaming();
            switch (reply) {
                case Reply.HttpError e -> {
                    e.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                    sendJson(exchange, e.status(), wire.errorBody(e.errorType(), e.message()));
                }
                case Reply.Turn t -> {
                    if (stream) {
                        streamEvents(exchange, wire.streamTurn(t, model(request)), t.chunkDelay(), false);
                    } else {
                        sendJson(exchange, 200, wire.plainTurn(t, model(request)));
                    }
                }
                case Reply.StreamError e -> {
                    var chunks = new ArrayList<>(wire.streamPrefix(e.before(), model(request)));
                    chunks.add(wire.streamErrorEvent(e.errorType(), e.message()));
                    streamEvents(exchange, chunks, Duration.ZERO, false);
                }
                case Reply.Truncated t ->
                    streamEvents(exchange, wire.streamPrefix(t.before(), model(request)), Duration.ZERO, true);
                case Reply.PingsForever p ->
                    pingForever(exchange, wire.streamPrefix(p.before(), model(request)), wire.pingFrame(), p.every());
            }
        }
    }

    private static String model(RecordedRequest request) {
        try {
            String model = request.json().getString("model", null);
            if (model != null) {
                return model;
            }
        } catch (RuntimeException ignored) {
            // Gemini puts the model in the path
        }
        String path = request.path();
        int models = path.indexOf("/models/");
        if (models >= 0) {
            String rest = path.substring(models + 8);
            int colon = rest.indexOf(':');
            return colon < 0 ? rest : rest.substring(0, colon);
        }
        return "scripted-model";
    }

    private static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Writes {@code prefix}, then {@code ping} every {@code every} until the client goes away. */
    private static void pingForever(HttpExchange exchange, List<String> prefix, String ping, Duration every)
            throws IOException {
        exchange.getResponseHeaders().set("content-type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            for (String frame : prefix) {
                out.write(frame.getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            while (true) {
                Thread.sleep(every);
                out.write(ping.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away: the only way this reply ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes SSE frames one by one, flushing each. With {@code drop} the response promises more bytes than it
     * sends, so closing it cuts the connection short, as a dropped network link would.
     */
    private static void streamEvents(HttpExchange exchange, List<String> frames, Duration delay, boolean drop)
            throws IOException {
        exchange.getResponseHeaders().set("content-type", "text/event-stream");
        exchange.getResponseHeaders().set("cache-control", "no-cache");
        long promised = 0;
        if (drop) {
            for (String frame : frames) {
                promised += frame.getBytes(StandardCharsets.UTF_8).length;
            }
            promised += 1000;
        }
        exchange.sendResponseHeaders(200, promised);
        OutputStream out = exchange.getResponseBody();
        for (String frame : frames) {
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            try {
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                return; // the client went away (cancelled); nothing more to send
            }
        }
    }
}
