package dev.miu.studio.mcp;

import dev.miu.core.json.Json;
import dev.miu.core.mcp.JsonRpcMessage;
import dev.miu.core.mcp.JsonRpcMessage.ErrorResponse;
import dev.miu.core.mcp.McpException;
import dev.miu.studio.StudioException;
import dev.miu.studio.http.RequestBody;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code /mcp}: the MCP Streamable HTTP transport. {@code POST} carries one JSON-RPC message: an {@code initialize}
 * starts a session (its id comes back in {@code Mcp-Session-Id}, which every later request must send); a request
 * is answered with JSON, or, for a tool call from a client that accepts {@code text/event-stream}, with an SSE
 * stream of its progress notifications and then its answer; notifications and responses get 202. {@code DELETE}
 * ends a session and stops its calls. miu sends no server-initiated messages, so {@code GET} is 405. Host, origin
 * and the API key are checked by the studio's access filter, as for {@code /api}.
 */
public final class McpHttpService implements HttpService {

    public static final String PATH = "/mcp";

    static final HeaderName SESSION_ID = HeaderNames.create("Mcp-Session-Id");
    static final HeaderName PROTOCOL_VERSION = HeaderNames.create("MCP-Protocol-Version");

    private static final HttpMediaType EVENT_STREAM = HttpMediaType.create("text/event-stream");

    private final McpDispatcher dispatcher;
    private final McpSessions sessions;
    private final long maxBodyBytes;

    public McpHttpService(McpDispatcher dispatcher, McpSessions sessions, long maxBodyBytes) {
        this.dispatcher = dispatcher;
        this.sessions = sessions;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Idle sessions are forgotten after this long; their stored conversations stay. */
    static final java.time.Duration IDLE_TIMEOUT = java.time.Duration.ofMinutes(30);

    /** The most sessions held at once: each costs a little memory until it ends or idles out. */
    static final int MAX_SESSIONS = 1000;

    /** The endpoint for the studio's agents, with the default session limits. */
    public static McpHttpService create(
            dev.miu.studio.chat.ChatRunner chat,
            dev.miu.studio.session.SessionRepository store,
            dev.miu.config.MiuConfig config) {
        return new McpHttpService(
                McpDispatcher.create(chat, store, config),
                new McpSessions(MAX_SESSIONS, IDLE_TIMEOUT),
                config.server().maxBodyBytes());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::post).delete("/", this::delete).get("/", this::get);
    }

    private void post(ServerRequest req, ServerResponse res) {
        String accept = req.headers().first(HeaderNames.ACCEPT).orElse("*/*");
        boolean json = accepts(accept, "application/json");
        boolean sse = accepts(accept, "text/event-stream");
        if (!json && !sse) {
            fail(res, 406, "Accept must include application/json and text/event-stream");
            return;
        }
        String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            fail(res, 415, "Content-Type must be application/json");
            return;
        }
        Optional<String> version = req.headers().first(PROTOCOL_VERSION);
        if (version.isPresent() && !McpProtocol.isSupported(version.get())) {
            fail(
                    res,
                    400,
                    "Unsupported MCP-Protocol-Version " + version.get() + "; supported: "
                            + String.join(", ", McpProtocol.SUPPORTED));
            return;
        }
        JsonRpcMessage message = read(req, res);
        if (message == null) {
            return;
        }
        McpSession session;
        if (message instanceof JsonRpcMessage.Request r && r.method().equals("initialize")) {
            session = sessions.open(); // 503 when full
        } else {
            session = session(req, res);
            if (session == null) {
                return;
            }
        }
        if (!(message instanceof JsonRpcMessage.Request request)) {
            dispatcher.handle(session, message, n -> {});
            res.status(202).send();
            return;
        }
        res.header(SESSION_ID, session.id());
        if (sse && (request.method().equals("tools/call") || !json)) {
            stream(res, session, request);
            return;
        }
        JsonRpcMessage reply = dispatcher.handle(session, request, n -> {}); // no stream to carry progress
        if (reply == null) {
            reply = new ErrorResponse(request.id(), ErrorResponse.INVALID_REQUEST, "Request cancelled", null);
        } else if (request.method().equals("initialize") && reply instanceof ErrorResponse) {
            sessions.close(session.id());
        }
        send(res, 200, reply);
    }

    /** Answers {@code request} as an SSE stream: its progress notifications, then its answer (none if cancelled). */
    private void stream(ServerResponse res, McpSession session, JsonRpcMessage.Request request) {
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.create("X-Accel-Buffering"), "no");
        res.headers().contentType(EVENT_STREAM);
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            var events = new SseMessages(sink, () -> session.cancel(request.id()));
            JsonRpcMessage reply = dispatcher.handle(session, request, events::emit);
            if (reply != null) {
                events.emit(reply);
            }
        }
    }

    /** Writes messages as SSE {@code message} events; once a write fails (the client left) runs {@code onGone}. */
    private static final class SseMessages {
        private final SseSink sink;
        private final Runnable onGone;
        private final ReentrantLock lock = new ReentrantLock();
        private boolean gone;

        SseMessages(SseSink sink, Runnable onGone) {
            this.sink = sink;
            this.onGone = onGone;
        }

        void emit(JsonRpcMessage message) {
            lock.lock();
            try {
                if (!gone) {
                    sink.emit(SseEvent.builder()
                            .name("message")
                            .data(Json.write(message.toJson()))
                            .build());
                }
            } catch (RuntimeException e) {
                gone = true;
                onGone.run(); // its call is stopped like a cancelled one
            } finally {
                lock.unlock();
            }
        }
    }

    private void delete(ServerRequest req, ServerResponse res) {
        McpSession session = session(req, res);
        if (session != null) {
            sessions.close(session.id());
            res.status(204).send();
        }
    }

    private void get(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.ALLOW, "POST, DELETE");
        fail(res, 405, "miu sends no server-initiated messages: there is no stream to GET");
    }

    /** The session the request names: 400 without {@code Mcp-Session-Id}, 404 for one that ended or expired. */
    private McpSession session(ServerRequest req, ServerResponse res) {
        Optional<String> id = req.headers().first(SESSION_ID);
        if (id.isEmpty()) {
            fail(res, 400, "Mcp-Session-Id header is required (initialize first)");
            return null;
        }
        McpSession session = sessions.find(id.get()).orElse(null);
        if (session == null) {
            fail(res, 404, "No MCP session " + abbreviate(id.get()) + " (it ended or expired): initialize again");
        }
        return session;
    }

    /** The one message of the body; on anything else answers 400 (or 413) with a JSON-RPC error and returns null. */
    private JsonRpcMessage read(ServerRequest req, ServerResponse res) {
        byte[] bytes = RequestBody.read(req, maxBodyBytes);
        if (bytes.length > maxBodyBytes) {
            throw new StudioException(
                    413, "Request body is larger than the limit of " + maxBodyBytes + " bytes (server.max-body-bytes)");
        }
        JsonValue value;
        try {
            value = Json.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            send(res, 400, new ErrorResponse(JsonValue.NULL, ErrorResponse.PARSE_ERROR, e.getMessage(), null));
            return null;
        }
        if (!(value instanceof JsonObject object)) {
            fail(res, 400, "The body must be one JSON-RPC message object (batches are not supported)");
            return null;
        }
        try {
            return JsonRpcMessage.fromJson(object);
        } catch (McpException e) {
            fail(res, 400, e.getMessage());
            return null;
        }
    }

    private static boolean accepts(String accept, String type) {
        String a = accept.toLowerCase(java.util.Locale.ROOT);
        return a.contains(type) || a.contains("*/*");
    }

    private static void fail(ServerResponse res, int status, String message) {
        send(res, status, new ErrorResponse(JsonValue.NULL, ErrorResponse.INVALID_REQUEST, message, null));
    }

    private static void send(ServerResponse res, int status, JsonRpcMessage message) {
        res.status(status);
        res.headers().contentType(io.helidon.common.media.type.MediaTypes.APPLICATION_JSON);
        res.send(Json.write(message.toJson()).getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
