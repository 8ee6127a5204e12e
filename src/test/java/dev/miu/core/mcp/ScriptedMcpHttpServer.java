package dev.miu.core.mcp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.miu.core.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

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
    private final List<String> tools = new CopyOnWriteArrayList<>(List.of("alpha", "beta", "gamma", "delta", "epsilon"));
    private final AtomicInteger sessionCounter = new AtomicInteger();
    final List<String> log = new CopyOnWriteArrayList<>();

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
        JsonObject message = Json.parseObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String method = Json.string(message, "method", null);
        log.add("POST " + (method == null ? "response" : method) + " session=" + session + " version=" + version);
        if ("initialize".equals(method)) {
            String id = "session-" + sessionCounter.incrementAndGet();
            sessions.put(id, true);
            exchange.getResponseHeaders().add("Mcp-Session-Id", id);
            answer(exchange, message.get("id"), Json.object().add("protocolVersion", protocolVersion)
                    .add("capabilities", Json.object().add("tools", Json.object().add("listChanged", true)))
                    .add("serverInfo", Json.object().add("name", "scripted").add("version", "1.0")).build());
            return;
        }
        if (session == null || !sessions.containsKey(session)) {
            send(exchange, 404, "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32001,\"message\":\"Session not found\"},\"id\":null}");
            return;
        }
        if (!message.containsKey("id")) {
            send(exchange, 202, "");
            return;
        }
        switch (method) {
            case "tools/list" -> {
                int start = Integer.parseInt(Json.string(Json.object(message, "params"), "cursor", "0"));
                var page = Json.array();
                List<String> all = new ArrayList<>(tools);
                for (int i = start; i < Math.min(start + 2, all.size()); i++) {
                    page.add(Json.object().add("name", all.get(i)).add("description", "Tool " + all.get(i))
                            .add("inputSchema", Json.object().add("type", "object")));
                }
                var result = Json.object().add("tools", page);
                if (start + 2 < all.size()) {
                    result.add("nextCursor", String.valueOf(start + 2));
                }
                answer(exchange, message.get("id"), result.build());
            }
            case "tools/call" -> answer(exchange, message.get("id"), Json.object().add("content", Json.array()
                    .add(Json.object().add("type", "text").add("text", "ran " + message.getJsonObject("params").getString("name"))))
                    .build());
            case "ping" -> answer(exchange, message.get("id"), Json.EMPTY_OBJECT);
            default -> send(exchange, 200, Json.write(Json.object().add("jsonrpc", "2.0").add("id", message.get("id"))
                    .add("error", Json.object().add("code", -32601).add("message", "Method not found: " + method)).build()));
        }
    }

    private static void answer(HttpExchange exchange, JsonValue id, JsonObject result) throws IOException {
        send(exchange, 200, Json.write(Json.object().add("jsonrpc", "2.0").add("id", id).add("result", result).build()));
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
