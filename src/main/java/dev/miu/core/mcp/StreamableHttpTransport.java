package dev.miu.core.mcp;

import dev.miu.core.http.HttpRequest;
import dev.miu.core.http.HttpResponse;
import dev.miu.core.http.KeepAliveHttpClient;
import dev.miu.core.http.RedirectException;
import dev.miu.core.http.SseReader;
import dev.miu.core.json.Json;
import dev.miu.core.tracing.Tracing;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MCP Streamable HTTP (spec 2025-03-26 and later): every message is a POST to one endpoint; a request's answer
 * comes back as a JSON body or as an SSE stream that may carry the server's own requests and notifications first.
 * The {@code Mcp-Session-Id} the server assigns at initialize is sent on every later request, with
 * {@code MCP-Protocol-Version} and the configured extra headers (e.g. {@code Authorization}). After the
 * handshake a GET stream receives messages the server starts on its own (such as {@code tools/list_changed});
 * a POST stream that breaks before its answer is resumed with {@code Last-Event-ID}. Closing sends DELETE.
 * Requests go through miu's one HTTP client ({@link KeepAliveHttpClient}), with the environment's proxies and no
 * read timeout: a tool call may run long and the GET stream may be silent for hours.
 */
public final class StreamableHttpTransport implements McpTransport {

    private static final System.Logger LOG = System.getLogger(StreamableHttpTransport.class.getName());
    private static final int RESUME_ATTEMPTS = 3;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String name;
    private final URI url;
    private final Map<String, String> headers;
    private final KeepAliveHttpClient http;
    /** The responses being read for awaited requests, by request id: abandoning one aborts its connection. */
    private final Map<String, HttpResponse> openStreams = new ConcurrentHashMap<>();

    private volatile Listener listener;
    private volatile String sessionId;
    private volatile boolean sessionExpired;
    private volatile String protocolVersion;
    private volatile boolean closed;
    private volatile Thread serverStreamThread;
    private final java.util.concurrent.atomic.AtomicBoolean listening = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile HttpResponse serverStream;

    public StreamableHttpTransport(String name, McpServerConfig.Http config) {
        this.name = name;
        this.url = config.url();
        this.headers = config.headers();
        this.http = new KeepAliveHttpClient(Duration.ofSeconds(10), Duration.ZERO, 4, null, config.proxy());
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        sessionId = null;
    }

    /** The session id the server assigned, or {@code null} if it runs without sessions. */
    public String sessionId() {
        return sessionId;
    }

    @Override
    public void protocolVersion(String version) {
        this.protocolVersion = version;
    }

    @Override
    public void send(JsonRpcMessage message) {
        if (closed) {
            throw new McpException("MCP server '" + name + "' is closed");
        }
        if (message instanceof JsonRpcMessage.Request request) {
            // The answer may take long and arrive on a stream: read it on its own thread, hand it to the listener.
            // Context.wrap carries the caller's trace context (its traceparent goes on the POST) to that thread.
            Runnable work = () -> exchange(request);
            Thread.ofVirtual()
                    .name("mcp-" + name + "-post")
                    .start(io.opentelemetry.context.Context.current().wrap(work));
            return;
        }
        HttpResponse response = post(message);
        try (response;
                InputStream body = response.body()) {
            if (response.status() != 202) {
                dispatchBody(response, body, null);
            }
        } catch (IOException e) {
            throw new McpException("Reading from MCP server '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    private void exchange(JsonRpcMessage.Request request) {
        String key = JsonRpcMessage.idKey(request.id());
        try {
            HttpResponse response = post(request);
            if (response.status() == 202) {
                response.close();
                throw new McpException(
                        "MCP server '" + name + "' accepted " + request.method() + " but sent no answer");
            }
            openStreams.put(key, response);
            try (response;
                    InputStream body = response.body()) {
                StreamEnd end = dispatchBody(response, body, request.id());
                for (int attempt = 1;
                        !end.answered() && end.lastEventId() != null && attempt <= RESUME_ATTEMPTS;
                        attempt++) {
                    end = resume(end.lastEventId(), request.id(), key);
                }
                if (!end.answered()) {
                    throw new McpException("MCP server '" + name + "' ended the stream for " + request.method()
                            + " without an answer");
                }
            }
        } catch (McpException e) {
            listener.onRequestFailed(request.id(), e);
        } catch (IOException e) {
            listener.onRequestFailed(
                    request.id(),
                    new McpException(
                            "Reading the answer of MCP server '" + name + "' to " + request.method() + " failed: "
                                    + e.getMessage(),
                            e));
        } finally {
            openStreams.remove(key);
        }
    }

    private StreamEnd resume(String lastEventId, JsonValue waitingFor, String key) throws IOException {
        HttpResponse response = get(lastEventId);
        if (response.status() != 200) {
            response.close();
            return new StreamEnd(false, null);
        }
        openStreams.put(key, response);
        try (response;
                InputStream body = response.body()) {
            return readEvents(body, waitingFor);
        }
    }

    /** What a body held: whether the answer awaited was in it, and the last SSE event id (for resuming). */
    private record StreamEnd(boolean answered, String lastEventId) {}

    private StreamEnd dispatchBody(HttpResponse response, InputStream body, JsonValue waitingFor) throws IOException {
        String type = response.header("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (type.startsWith("text/event-stream")) {
            return readEvents(body, waitingFor);
        }
        String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new StreamEnd(false, null);
        }
        if (!type.startsWith("application/json")) {
            throw new McpException("MCP server '" + name + "' answered with Content-Type '" + type
                    + "' (expected application/json or text/event-stream)");
        }
        return new StreamEnd(dispatch(text, waitingFor), null);
    }

    private StreamEnd readEvents(InputStream body, JsonValue waitingFor) throws IOException {
        var events = new SseReader(body);
        String lastId = null;
        SseReader.Event event;
        while ((event = events.next()) != null) {
            if (event.id() != null) {
                lastId = event.id();
            }
            if (!"message".equals(event.name()) || event.data().isBlank()) {
                continue;
            }
            if (dispatch(event.data(), waitingFor) && waitingFor != null) {
                return new StreamEnd(true, lastId);
            }
        }
        return new StreamEnd(false, lastId);
    }

    /** Hands each message in {@code json} (one object, or a batch) to the listener; true if the awaited answer was among them. */
    private boolean dispatch(String json, JsonValue waitingFor) {
        JsonValue value;
        try {
            value = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new McpException("MCP server '" + name + "' sent malformed JSON: " + e.getMessage());
        }
        List<JsonValue> items = value instanceof JsonArray array ? array : List.of(value);
        boolean answered = false;
        for (JsonValue item : items) {
            if (!(item instanceof JsonObject object)) {
                throw new McpException("MCP server '" + name + "' sent a JSON-RPC message that is not an object");
            }
            JsonRpcMessage message = JsonRpcMessage.fromJson(object);
            if (waitingFor != null && isAnswerTo(message, waitingFor)) {
                answered = true;
            }
            listener.onMessage(message);
        }
        return answered;
    }

    private static boolean isAnswerTo(JsonRpcMessage message, JsonValue id) {
        String key = JsonRpcMessage.idKey(id);
        return switch (message) {
            case JsonRpcMessage.Response r -> JsonRpcMessage.idKey(r.id()).equals(key);
            case JsonRpcMessage.ErrorResponse e -> JsonRpcMessage.idKey(e.id()).equals(key);
            default -> false;
        };
    }

    private HttpResponse post(JsonRpcMessage message) {
        boolean initialize =
                message instanceof JsonRpcMessage.Request r && r.method().equals("initialize");
        if (initialize) {
            // A new session: forget the old one, whatever happened to it.
            sessionId = null;
            sessionExpired = false;
        } else if (sessionExpired) {
            throw new McpSessionExpiredException(
                    "MCP server '" + name + "' no longer knows our session; start a new one");
        }
        HttpRequest request = request(
                "POST",
                Json.write(message.toJson()).getBytes(StandardCharsets.UTF_8),
                List.of(
                        new HttpRequest.Header("Content-Type", "application/json"),
                        new HttpRequest.Header("Accept", "application/json, text/event-stream")));
        HttpResponse response = call(request);
        try {
            response.header("Mcp-Session-Id").ifPresent(this::acceptSessionId);
        } catch (McpException e) {
            response.close();
            throw e;
        }
        return check(response, request);
    }

    private HttpResponse get(String lastEventId) {
        List<HttpRequest.Header> extra = new ArrayList<>(2);
        extra.add(new HttpRequest.Header("Accept", "text/event-stream"));
        if (lastEventId != null) {
            extra.add(new HttpRequest.Header("Last-Event-ID", lastEventId));
        }
        HttpRequest request = request("GET", null, extra);
        HttpResponse response = call(request);
        return response.status() == 405 ? response : check(response, request);
    }

    /** A request to the endpoint with {@code extra} headers, then the configured ones, the session's and the trace's. */
    private HttpRequest request(String method, byte[] body, List<HttpRequest.Header> extra) {
        List<HttpRequest.Header> all = new ArrayList<>(extra);
        headers.forEach((k, v) -> all.add(new HttpRequest.Header(k, v)));
        String session = sessionId;
        if (session != null) {
            all.add(new HttpRequest.Header("Mcp-Session-Id", session));
        }
        String version = protocolVersion;
        if (version != null) {
            all.add(new HttpRequest.Header("MCP-Protocol-Version", version));
        }
        Tracing tracing = Tracing.current();
        if (tracing.enabled()) {
            // traceparent of the current span (execute_tool when a tool is called)
            tracing.inject((k, v) -> all.add(new HttpRequest.Header(k, v)));
        }
        return new HttpRequest(method, url, all, body, null);
    }

    private HttpResponse call(HttpRequest request) {
        try {
            return http.send(request);
        } catch (RedirectException e) {
            throw new McpException("MCP server '" + name + "': " + e.getMessage(), e);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new McpException("Request to MCP server '" + name + "' was interrupted", e);
            }
            throw new McpException(
                    "Cannot reach MCP server '" + name + "' at " + url + " (" + request.method() + "): "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    e);
        }
    }

    private void acceptSessionId(String id) {
        // The spec allows only visible ASCII; anything else is a broken server, not something to echo back.
        if (id.isEmpty() || !id.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw new McpException("MCP server '" + name + "' sent an invalid Mcp-Session-Id");
        }
        sessionId = id;
    }

    private HttpResponse check(HttpResponse response, HttpRequest sent) {
        int status = response.status();
        if (status < 300) {
            return response;
        }
        String body;
        try (response;
                InputStream in = response.body()) {
            body = new String(in.readNBytes(500), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            body = "";
        }
        String sentSession = sent.headers().stream()
                .filter(h -> h.name().equals("Mcp-Session-Id"))
                .map(HttpRequest.Header::value)
                .findFirst()
                .orElse(null);
        if (status == 404 && sentSession != null) {
            // Only the session this request carried is gone; a newer one may already be in use.
            if (sentSession.equals(sessionId)) {
                sessionExpired = true;
            }
            throw new McpSessionExpiredException(
                    "MCP server '" + name + "' no longer knows our session; start a new one");
        }
        String hint = status == 401 || status == 403 ? " (check the server's \"headers\", e.g. Authorization)" : "";
        throw new McpException("MCP server '" + name + "' at " + url + " answered HTTP " + status + hint
                + (body.isEmpty() ? "" : ": " + body));
    }

    @Override
    public void ready() {
        if (!closed && listening.compareAndSet(false, true)) {
            serverStreamThread = Thread.ofVirtual().name("mcp-" + name + "-get").start(this::listenToServer);
        }
    }

    /** Keeps a GET stream open for messages the server starts itself, for as long as there is a live session. */
    private void listenToServer() {
        do {
            try {
                listenWhileSessionLives();
            } finally {
                listening.set(false);
            }
            // A new session may have become ready while this one was winding down: serve it too.
        } while (!closed && sessionId != null && !sessionExpired && listening.compareAndSet(false, true));
    }

    private void listenWhileSessionLives() {
        Duration backoff = Duration.ofSeconds(1);
        String lastEventId = null;
        try {
            while (!closed && sessionId != null && !sessionExpired) {
                try {
                    HttpResponse response = get(lastEventId);
                    if (response.status() == 405) {
                        response.close();
                        LOG.log(System.Logger.Level.DEBUG, "MCP server ''{0}'' offers no GET stream", name);
                        return;
                    }
                    serverStream = response;
                    backoff = Duration.ofSeconds(1);
                    try (response;
                            InputStream body = response.body()) {
                        StreamEnd end = readEvents(body, null);
                        lastEventId = end.lastEventId() != null ? end.lastEventId() : lastEventId;
                    }
                } catch (McpSessionExpiredException e) {
                    lastEventId = null; // the loop ends unless a new session already replaced the old one
                    continue;
                } catch (McpException | IOException e) {
                    if (closed) {
                        return;
                    }
                    LOG.log(
                            System.Logger.Level.DEBUG,
                            "MCP server ''{0}'': GET stream failed: {1}",
                            name,
                            e.getMessage());
                }
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    @Override
    public void abandon(JsonValue id) {
        HttpResponse stream = openStreams.remove(JsonRpcMessage.idKey(id));
        if (stream != null) {
            stream.abort(); // its reader is blocked in a read on another thread
        }
    }

    @Override
    public String describe() {
        return "http: " + url;
    }

    @Override
    public void close(Duration grace) {
        if (closed) {
            return;
        }
        closed = true;
        Thread reader = serverStreamThread;
        if (reader != null) {
            reader.interrupt();
        }
        HttpResponse stream = serverStream;
        if (stream != null) {
            stream.abort();
        }
        openStreams.values().forEach(HttpResponse::abort);
        String session = sessionId;
        if (session != null) {
            HttpRequest delete = request("DELETE", null, List.of())
                    .withReadTimeout(grace.isZero() || grace.isNegative() ? Duration.ofMillis(1) : grace);
            try (HttpResponse response = http.send(delete)) {
                response.body().transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "MCP server ''{0}'': DELETE of the session failed: {1}",
                        name,
                        e.getMessage());
            }
        }
        http.close();
        Listener l = listener;
        if (l != null) {
            l.onClosed(new McpException("MCP server '" + name + "' was closed"));
        }
    }
}
