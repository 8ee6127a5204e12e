package dev.miu.core.mcp;

import dev.miu.core.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * JSON-RPC 2.0 over one {@link McpTransport}: numbers outgoing requests, matches each reply to its waiting caller
 * by id (so many requests can be in flight from many threads), enforces timeouts, sends
 * {@code notifications/cancelled} for requests given up on, answers the server's {@code ping}, and hands
 * notifications to a listener on their own virtual threads (so a listener may itself send requests).
 */
public final class JsonRpcConnection implements McpTransport.Listener {

    private static final System.Logger LOG = System.getLogger(JsonRpcConnection.class.getName());

    /** Answers a request the server sends; throw {@link McpException} with a JSON-RPC code to reply with an error. */
    @FunctionalInterface
    public interface RequestHandler {
        JsonObject handle(String method, JsonObject params);
    }

    private final String name;
    private final McpTransport transport;
    private final RequestHandler requestHandler;
    private final Consumer<JsonRpcMessage.Notification> notificationHandler;
    private final AtomicLong nextId = new AtomicLong();
    private final Map<String, CompletableFuture<JsonRpcMessage>> pending = new ConcurrentHashMap<>();
    private volatile McpException closedBecause;

    public JsonRpcConnection(
            String name,
            McpTransport transport,
            RequestHandler requestHandler,
            Consumer<JsonRpcMessage.Notification> notificationHandler) {
        this.name = name;
        this.transport = transport;
        this.requestHandler = requestHandler;
        this.notificationHandler = notificationHandler;
    }

    public void start() {
        transport.start(this);
    }

    public McpTransport transport() {
        return transport;
    }

    /** Why the connection closed, or {@code null} while it is open. */
    public McpException closedBecause() {
        return closedBecause;
    }

    /**
     * Sends a request and waits for its result. A JSON-RPC error reply, a timeout or a lost connection is an
     * {@link McpException}; on timeout or interrupt the server is told with {@code notifications/cancelled}.
     */
    public JsonObject request(String method, JsonObject params, Duration timeout) throws InterruptedException {
        JsonValue id = Json.PROVIDER.createValue(nextId.incrementAndGet());
        String key = JsonRpcMessage.idKey(id);
        var reply = new CompletableFuture<JsonRpcMessage>();
        pending.put(key, reply);
        try {
            McpException closed = closedBecause;
            if (closed != null) {
                throw new McpException("MCP server '" + name + "' is not connected: " + closed.getMessage(), closed);
            }
            transport.send(new JsonRpcMessage.Request(id, method, params));
            JsonRpcMessage message = reply.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return switch (message) {
                case JsonRpcMessage.Response r -> r.result();
                case JsonRpcMessage.ErrorResponse e ->
                    throw new McpException(
                            "MCP server '" + name + "' answered " + method + " with error " + e.code() + ": "
                                    + e.message(),
                            e.code(),
                            null);
                default -> throw new IllegalStateException("not a reply: " + message);
            };
        } catch (TimeoutException e) {
            cancel(id, "timed out after " + timeout.toMillis() + " ms");
            throw new McpException(
                    "MCP server '" + name + "' did not answer " + method + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            cancel(id, "cancelled by the client");
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof McpException m) {
                throw m instanceof McpSessionExpiredException expired
                        ? expired
                        : new McpException(m.getMessage(), m.code(), m);
            }
            throw new McpException("MCP request " + method + " to '" + name + "' failed: " + cause, cause);
        } finally {
            pending.remove(key);
        }
    }

    /** Sends a notification; nothing comes back. */
    public void notify(String method, JsonObject params) {
        transport.send(new JsonRpcMessage.Notification(method, params));
    }

    private void cancel(JsonValue id, String reason) {
        transport.abandon(id);
        if (closedBecause != null) {
            return;
        }
        try {
            notify(
                    "notifications/cancelled",
                    Json.object().add("requestId", id).add("reason", reason).build());
        } catch (McpException e) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "MCP server ''{0}'': could not send cancellation: {1}",
                    name,
                    e.getMessage());
        }
    }

    @Override
    public void onMessage(JsonRpcMessage message) {
        switch (message) {
            case JsonRpcMessage.Response r -> complete(r.id(), r);
            case JsonRpcMessage.ErrorResponse e -> {
                if (e.id() == JsonValue.NULL) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "MCP server ''{0}'' reported an error: {1} {2}",
                            name,
                            e.code(),
                            e.message());
                } else {
                    complete(e.id(), e);
                }
            }
            case JsonRpcMessage.Request r ->
                Thread.ofVirtual().name("mcp-" + name + "-request").start(() -> answer(r));
            case JsonRpcMessage.Notification n ->
                Thread.ofVirtual().name("mcp-" + name + "-notification").start(() -> {
                    try {
                        notificationHandler.accept(n);
                    } catch (RuntimeException e) {
                        LOG.log(
                                System.Logger.Level.WARNING,
                                "MCP server ''" + name + "'': handling " + n.method() + " failed",
                                e);
                    }
                });
        }
    }

    private void complete(JsonValue id, JsonRpcMessage reply) {
        CompletableFuture<JsonRpcMessage> waiting = pending.get(JsonRpcMessage.idKey(id));
        if (waiting == null) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "MCP server ''{0}'': reply to unknown or abandoned request {1}",
                    name,
                    id);
            return;
        }
        waiting.complete(reply);
    }

    private void answer(JsonRpcMessage.Request request) {
        JsonRpcMessage reply;
        try {
            JsonObject result = "ping".equals(request.method())
                    ? Json.EMPTY_OBJECT
                    : requestHandler.handle(request.method(), request.params());
            reply = new JsonRpcMessage.Response(request.id(), result);
        } catch (McpException e) {
            int code = e.code() == McpException.NO_CODE ? JsonRpcMessage.ErrorResponse.INTERNAL_ERROR : e.code();
            reply = new JsonRpcMessage.ErrorResponse(request.id(), code, e.getMessage(), null);
        } catch (RuntimeException e) {
            reply = new JsonRpcMessage.ErrorResponse(
                    request.id(), JsonRpcMessage.ErrorResponse.INTERNAL_ERROR, String.valueOf(e.getMessage()), null);
        }
        try {
            transport.send(reply);
        } catch (McpException e) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "MCP server ''{0}'': could not answer {1}: {2}",
                    name,
                    request.method(),
                    e.getMessage());
        }
    }

    @Override
    public void onRequestFailed(JsonValue id, McpException cause) {
        CompletableFuture<JsonRpcMessage> waiting = pending.get(JsonRpcMessage.idKey(id));
        if (waiting != null) {
            waiting.completeExceptionally(cause);
        }
    }

    @Override
    public void onClosed(McpException cause) {
        if (closedBecause == null) {
            closedBecause = cause;
        }
        pending.values().forEach(f -> f.completeExceptionally(cause));
    }
}
