package dev.miu.core.mcp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.miu.core.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * A small Streamable HTTP MCP endpoint for the edges the reference servers do not show: answers as plain JSON
 * (not SSE), a bearer token it insists on, a protocol version of its choosing, tools/list in pages of two,
 * sessions it can forget (404), and a GET stream on which it announces tool-list changes.
 */
final class ScriptedMcpHttpServer implements AutoCloseable {

    static final String TOKEN = "Bearer secret-token";

    private final HttpServer server;
    private final String protocolVersion;
    private final Map<String, Boolean> sessions = new ConcurrentHashMap<>();
    private final List<OutputStream> getStreams = new CopyOnWriteArrayList<>();
    private final List<String> tools =
            new CopyOnWriteArrayList<>(List.of("alpha", "beta", "gamma", "delta", "epsilon"));
    private final AtomicInteger sessionCounter = new AtomicInteger();
    final List<String> log = new CopyOnWriteArrayList<>();
    /** W3C trace contexts the client sent, in order. */
    final List<String> traceparents = new CopyOnWriteArrayList<>();
    /** Answers held back for a client that resumes with Last-Event-ID, by the event id it will send. */
    private final Map<String, String> resumable = new ConcurrentHashMap<>();
    /** Replies the client POSTed to requests this server sent, by request id. */
    final Map<String, JsonObject> clientReplies = new ConcurrentHashMap<>();

    private ScriptedMcpHttpServer(String protocolVersion) throws IOException {
        this.protocolVersion = protocolVersion;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mcp", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    static ScriptedMcpHttpServer start(String protocolVersion) throws IOException {
        return new ScriptedMcpHttpServer(protocolVersion);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
    }

    /** Forgets every session, as a restarted server would. */
    void expireSessions() {
        sessions.clear();
    }

    /** Adds a tool and sends {@code notifications/tools/list_changed} on every open GET stream. */
    void addToolAndAnnounce(String name) throws IOException {
        tools.add(name);
        byte[] event = "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}\n\n"
                .getBytes(StandardCharsets.UTF_8);
        for (OutputStream out : getStreams) {
            out.write(event);
            out.flush();
        }
    }

    int openGetStreams() {
        return getStreams.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
        if (traceparent != null) {
            traceparents.add(traceparent);
        }
        String session = exchange.getRequestHeaders().getFirst("Mcp-Session-Id");
        String version = exchange.getRequestHeaders().getFirst("MCP-Protocol-Version");
        if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            log.add(exchange.getRequestMethod() + " unauthorized");
            send(exchange, 401, "{\"error\":\"missing token\"}");
            return;
        }
        switch (exchange.getRequestMethod()) {
            case "POST" -> post(exchange, session, version);
            case "GET" -> {
                if (session == null || !sessions.containsKey(session)) {
                    send(exchange, 404, "");
                    return;
                }
                String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
                if (lastEventId != null && resumable.containsKey(lastEventId)) {
                    log.add("GET resume " + lastEventId);
                    sse(exchange, "id: " + lastEventId + "-2\ndata: " + resumable.remove(lastEventId) + "\n\n");
                    return;
                }
                log.add("GET " + session);
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                out.write(": open\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                getStreams.add(out); // held open until the client goes away or the server stops
            }
            case "DELETE" -> {
                log.add("DELETE " + session);
                sessions.remove(session);
                send(exchange, 200, "");
            }
            default -> send(exchange, 405, "");
        }
    }

    private void post(HttpExchange exchange, String session, String version) throws IOException {
        JsonObject message =
                Json.parseObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String method = Json.string(message, "method", null);
        log.add("POST " + (method == null ? "response" : method) + " session=" + session + " version=" + version);
        if ("initialize".equals(method)) {
            String id = "session-" + sessionCounter.incrementAndGet();
            sessions.put(id, true);
            exchange.getResponseHeaders().add("Mcp-Session-Id", id);
            answer(
                    exchange,
                    message.get("id"),
                    Json.object()
                            .add("protocolVersion", protocolVersion)
                            .add(
                                    "capabilities",
                                    Json.object().add("tools", Json.object().add("listChanged", true)))
                            .add(
                                    "serverInfo",
                                    Json.object().add("name", "scripted").add("version", "1.0"))
                            .build());
            return;
        }
        if (session == null || !sessions.containsKey(session)) {
            send(
                    exchange,
                    404,
                    "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32001,\"message\":\"Session not found\"},\"id\":null}");
            return;
        }
        if (!message.containsKey("id")) {
            send(exchange, 202, "");
            return;
        }
        if (method == null) {
            clientReplies.put(message.getString("id", String.valueOf(message.get("id"))), message);
            send(exchange, 202, "");
            return;
        }
        String tool = toolName(message);
        String route = "tools/call".equals(method) && (tool.equals("resumable") || tool.equals("asks-client"))
                ? method + ":" + tool
                : method;
        switch (route) {
            case "tools/list" -> {
                int start = Integer.parseInt(Json.string(Json.object(message, "params"), "cursor", "0"));
                var page = Json.array();
                List<String> all = new ArrayList<>(tools);
                for (int i = start; i < Math.min(start + 2, all.size()); i++) {
                    page.add(Json.object()
                            .add("name", all.get(i))
                            .add("description", "Tool " + all.get(i))
                            .add("inputSchema", Json.object().add("type", "object")));
                }
                var result = Json.object().add("tools", page);
                if (start + 2 < all.size()) {
                    result.add("nextCursor", String.valueOf(start + 2));
                }
                answer(exchange, message.get("id"), result.build());
            }
            case "tools/call:resumable" -> {
                // Send only an event id, then drop the stream: the client must resume with GET + Last-Event-ID.
                String eventId = "ev-" + message.get("id");
                resumable.put(eventId, Json.write(textResult(message.get("id"), "resumed answer")));
                sse(exchange, "id: " + eventId + "\ndata: \n\n");
            }
            case "tools/call:asks-client" -> {
                // Ask the client something on the answer's stream first, then answer once it replied by POST.
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(("data: {\"jsonrpc\":\"2.0\",\"id\":\"srv-1\",\"method\":\"roots/list\"}\n\n"
                                    + "data: {\"jsonrpc\":\"2.0\",\"id\":\"srv-2\",\"method\":\"ping\"}\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    try {
                        await().atMost(Duration.ofSeconds(5))
                                .pollInterval(Duration.ofMillis(10))
                                .until(() -> clientReplies.size() >= 2);
                    } catch (ConditionTimeoutException e) {
                        // answer with the count so far: the test's assertion on the text names what was missing
                    }
                    String text = "client replied to " + clientReplies.size() + " requests";
                    out.write(("data: " + Json.write(textResult(message.get("id"), text)) + "\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
            case "tools/call" ->
                answer(
                        exchange,
                        message.get("id"),
                        Json.object()
                                .add(
                                        "content",
                                        Json.array()
                                                .add(Json.object()
                                                        .add("type", "text")
                                                        .add(
                                                                "text",
                                                                "ran "
                                                                        + message.getJsonObject("params")
                                                                                .getString("name"))))
                                .build());
            case "ping" -> answer(exchange, message.get("id"), Json.EMPTY_OBJECT);
            default ->
                send(
                        exchange,
                        200,
                        Json.write(Json.object()
                                .add("jsonrpc", "2.0")
                                .add("id", message.get("id"))
                                .add(
                                        "error",
                                        Json.object().add("code", -32601).add("message", "Method not found: " + method))
                                .build()));
        }
    }

    private static String toolName(JsonObject message) {
        return Json.string(Json.object(message, "params"), "name", "");
    }

    private static JsonObject textResult(JsonValue id, String text) {
        return Json.object()
                .add("jsonrpc", "2.0")
                .add("id", id)
                .add(
                        "result",
                        Json.object()
                                .add(
                                        "content",
                                        Json.array()
                                                .add(Json.object()
                                                        .add("type", "text")
                                                        .add("text", text))))
                .build();
    }

    private static void sse(HttpExchange exchange, String events) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(events.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void answer(HttpExchange exchange, JsonValue id, JsonObject result) throws IOException {
        send(
                exchange,
                200,
                Json.write(Json.object()
                        .add("jsonrpc", "2.0")
                        .add("id", id)
                        .add("result", result)
                        .build()));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!body.isEmpty()) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        getStreams.forEach(out -> {
            try {
                out.close();
            } catch (IOException e) {
                // the client already went away
            }
        });
        server.stop(0);
    }
}
