package dev.miu.studio.a2a;

import dev.miu.agents.AgentCatalog;
import dev.miu.config.AgentDefinition;
import dev.miu.core.json.Json;
import dev.miu.studio.chat.ChatRunner;
import dev.miu.studio.http.AccessPolicy;
import dev.miu.studio.session.SessionApprovals;
import dev.miu.studio.session.SessionRepository;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code /a2a/{agent}}: every hosted agent as an A2A server. {@code GET .../.well-known/agent-card.json} is its card
 * (public, as A2A discovery expects; it names the bearer scheme when the server has a key), {@code POST} is the
 * JSON-RPC endpoint (the same bearer key as {@code /api}): send a message (answered once the task settles, or at
 * once with {@code returnImmediately}), stream one (SSE: the task, then status and answer updates), get, cancel and
 * subscribe to a task. A2A 1.0 and 0.3 are both served ({@link Version}). Problems are JSON-RPC errors with the
 * specification's codes.
 */
public final class A2aService implements HttpService {

    public static final String PATH = "/a2a";

    private static final System.Logger LOG = System.getLogger(A2aService.class.getName());
    private static final HttpMediaType EVENT_STREAM = HttpMediaType.create("text/event-stream; charset=utf-8");
    private static final HttpMediaType JSON = HttpMediaType.create("application/json");
    /** How long a cancel waits for the turn to stop before answering with the task as it is. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);
    /** A stream with nothing to say sends a comment this often, so a client that has gone is noticed. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private static final int MAX_METHOD = 100;

    private final AgentCatalog agents;
    private final A2aTasks tasks;
    private final AccessPolicy access;
    private final long maxBodyBytes;
    /** The longest a blocking send waits: the turn's own limit, and a little for storing it. */
    private final Duration sendWait;

    public A2aService(
            ChatRunner chat, SessionRepository sessions, AccessPolicy access, long maxBodyBytes, Duration turnTimeout) {
        this.agents = chat.agents();
        this.tasks = new A2aTasks(chat, sessions);
        this.access = access;
        this.maxBodyBytes = maxBodyBytes;
        this.sendWait = turnTimeout.plusSeconds(30);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{agent}/.well-known/agent-card.json", this::card).post("/{agent}", this::rpc);
    }

    private void card(ServerRequest req, ServerResponse res) {
        Optional<AgentDefinition> agent =
                agents.find(req.path().pathParameters().get("agent"));
        if (agent.isEmpty()) {
            res.status(404).headers().contentType(JSON);
            res.send(Json.write(Json.object()
                    .add("detail", "No agent of that name; known agents: " + String.join(", ", agents.names()))
                    .build()));
            return;
        }
        res.header(HeaderNames.CACHE_CONTROL, "max-age=60");
        res.headers().contentType(JSON);
        res.send(Json.write(
                AgentCards.card(agent.get(), endpoint(req, agent.get().name()), access.authRequired())));
    }

    /** The agent's JSON-RPC URL as the client reached this server. */
    private static String endpoint(ServerRequest req, String agent) {
        var uri = req.requestedUri();
        return uri.scheme() + "://" + uri.authority() + PATH + "/" + agent;
    }

    private void rpc(ServerRequest req, ServerResponse res) {
        if (!access.tokenAccepted(AccessPolicy.bearer(req.headers().first(HeaderNames.AUTHORIZATION))
                .orElse(null))) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            reply(
                    res,
                    401,
                    error(
                            JsonValue.NULL,
                            new A2aError(
                                    A2aError.UNAUTHENTICATED,
                                    "Missing or invalid API key: send 'Authorization: Bearer <MIU_API_KEY>'")));
            return;
        }
        JsonValue id = JsonValue.NULL;
        try {
            JsonObject request = read(req);
            id = requestId(request);
            String method = method(request);
            String header = req.headers()
                    .first(HeaderNames.create("A2A-Version"))
                    .or(() -> req.query().first("A2A-Version").asOptional())
                    .orElse(null);
            Version version = Version.of(header, method);
            String name = req.path().pathParameters().get("agent");
            if (agents.find(name).isEmpty()) {
                throw new A2aError(
                        A2aError.INVALID_PARAMS,
                        "No agent '" + name + "'; known agents: " + String.join(", ", agents.names()),
                        404);
            }
            JsonObject params = params(request);
            switch (Operation.of(method, version)) {
                case SEND -> reply(res, 200, result(id, send(name, params, version)));
                case STREAM -> {
                    A2aTasks.Started started =
                            tasks.start(name, A2aWire.send(params).message());
                    stream(res, id, version, started.task(), started.fromStart());
                }
                case GET -> {
                    A2aTask task = tasks.find(name, A2aWire.taskId(params));
                    tasks.refresh(task); // paused for approval: a person may have decided since
                    reply(res, 200, result(id, A2aWire.task(task.view(), version, A2aWire.historyLength(params))));
                }
                case CANCEL -> reply(res, 200, result(id, A2aWire.task(cancel(name, params, req), version, null)));
                case SUBSCRIBE -> {
                    A2aTask task = tasks.find(name, A2aWire.taskId(params));
                    tasks.refresh(task);
                    if (task.view().state().terminal()) {
                        throw A2aError.unsupported("Task " + task.id() + " has ended; read it with GetTask");
                    }
                    stream(res, id, version, task, task.subscribe());
                }
                case PUSH -> throw new A2aError(A2aError.PUSH_NOT_SUPPORTED, "Push notifications are not supported");
                case UNSUPPORTED -> throw A2aError.unsupported(method + " is not supported by miu");
            }
        } catch (A2aError e) {
            reply(res, e.httpStatus(), error(id, e));
        } catch (UncheckedIOException e) {
            LOG.log(System.Logger.Level.ERROR, "A2A request failed", e);
            reply(res, 200, error(id, new A2aError(A2aError.INTERNAL, "Storage error; see the server log")));
        }
    }

    /** A send-message call: the task once it has settled, or at once when the client asked for that. */
    private JsonObject send(String agent, JsonObject params, Version version) {
        A2aWire.Send send = A2aWire.send(params);
        A2aTask task = tasks.start(agent, send.message()).task();
        A2aTask.View view = task.view();
        if (!send.returnImmediately()) {
            try {
                view = task.awaitSettled(sendWait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                view = task.view();
            }
        }
        return A2aWire.sendResult(view, version, send.historyLength());
    }

    private A2aTask.View cancel(String agent, JsonObject params, ServerRequest req) {
        A2aTask task = tasks.find(agent, A2aWire.taskId(params));
        tasks.refresh(task);
        String client = req.remotePeer().address() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress()
                : null;
        boolean cancelled;
        try {
            cancelled = tasks.cancel(
                    task, CANCEL_WAIT, new SessionApprovals.Decider(SessionApprovals.Decider.Via.CANCEL, client, null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return task.view();
        }
        if (!cancelled) {
            throw new A2aError(
                    A2aError.TASK_NOT_CANCELABLE,
                    "Task " + task.id() + " is " + task.view().state().v03() + " and cannot be cancelled");
        }
        return task.view();
    }

    /**
     * Streams a task as SSE from {@code sub}: the task as it was then (for a new task, working: what a send answers
     * first), then each update until it settles (one subscribed while paused for approval: until it settles again).
     * A client that leaves ends its stream, not the task. While nothing comes, the task is brought up to date from
     * its session, for a run that goes on on another server.
     */
    private void stream(ServerResponse res, JsonValue id, Version version, A2aTask task, A2aTask.Subscription sub) {
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.create("X-Accel-Buffering"), "no");
        res.headers().contentType(EVENT_STREAM);
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            emit(sink, result(id, A2aWire.streamTask(sub.first(), version)));
            while (!sub.done()) {
                TaskUpdate update = sub.next(KEEP_ALIVE);
                if (update != null) {
                    emit(sink, result(id, A2aWire.streamUpdate(sub.first(), update, version)));
                } else if (!sub.done()) {
                    tasks.refresh(task);
                    sink.emit(SseEvent.builder().comment("keep-alive").build());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "A2A stream client gone (the task goes on)", e);
        }
    }

    private static void emit(SseSink sink, JsonObject response) {
        // Helidon writes "data:" + data; the space gives the usual "data: {json}"
        sink.emit(SseEvent.create(" " + Json.write(response)));
    }

    // --- JSON-RPC framing ---

    private JsonObject read(ServerRequest req) {
        var declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) {
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 1, maxBodyBytes + 1));
        } catch (IOException e) {
            throw new A2aError(A2aError.PARSE_ERROR, "The request body could not be read: " + e.getMessage());
        }
        if (bytes.length > maxBodyBytes) {
            throw tooLarge();
        }
        JsonValue value;
        try {
            value = Json.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new A2aError(A2aError.PARSE_ERROR, "Invalid JSON payload: " + e.getMessage());
        }
        if (!(value instanceof JsonObject request)) {
            throw new A2aError(A2aError.INVALID_REQUEST, "The request must be a JSON-RPC 2.0 request object");
        }
        return request;
    }

    private A2aError tooLarge() {
        return new A2aError(
                A2aError.INVALID_REQUEST,
                "Request body is larger than the limit of " + maxBodyBytes + " bytes (server.max-body-bytes)",
                413);
    }

    private static JsonValue requestId(JsonObject request) {
        JsonValue id = request.get("id");
        if (id instanceof JsonString s && s.getString().length() <= A2aWire.MAX_ID) {
            return id;
        }
        return id instanceof JsonNumber ? id : JsonValue.NULL;
    }

    private static String method(JsonObject request) {
        if (!(request.get("jsonrpc") instanceof JsonString v) || !v.getString().equals("2.0")) {
            throw new A2aError(A2aError.INVALID_REQUEST, "jsonrpc must be \"2.0\"");
        }
        if (!(request.get("method") instanceof JsonString m) || m.getString().isBlank()) {
            throw new A2aError(A2aError.INVALID_REQUEST, "method must be a string");
        }
        if (m.getString().length() > MAX_METHOD) {
            throw new A2aError(A2aError.METHOD_NOT_FOUND, "Method not found");
        }
        return m.getString();
    }

    private static JsonObject params(JsonObject request) {
        JsonValue params = request.get("params");
        if (params == null || params == JsonValue.NULL) {
            return Json.EMPTY_OBJECT;
        }
        if (!(params instanceof JsonObject o)) {
            throw A2aError.invalidParams("params must be an object");
        }
        return o;
    }

    private static JsonObject result(JsonValue id, JsonObject result) {
        return Json.object()
                .add("jsonrpc", "2.0")
                .add("id", id)
                .add("result", result)
                .build();
    }

    private static JsonObject error(JsonValue id, A2aError e) {
        return Json.object()
                .add("jsonrpc", "2.0")
                .add("id", id)
                .add("error", Json.object().add("code", e.code()).add("message", e.getMessage()))
                .build();
    }

    private static void reply(ServerResponse res, int status, JsonObject body) {
        res.status(status).headers().contentType(JSON);
        res.send(Json.write(body));
    }

    /** The methods, by their names in each version. */
    private enum Operation {
        SEND,
        STREAM,
        GET,
        CANCEL,
        SUBSCRIBE,
        PUSH,
        UNSUPPORTED;

        static Operation of(String method, Version version) {
            Operation op = version == Version.V1
                    ? switch (method) {
                        case "SendMessage" -> SEND;
                        case "SendStreamingMessage" -> STREAM;
                        case "GetTask" -> GET;
                        case "CancelTask" -> CANCEL;
                        case "SubscribeToTask" -> SUBSCRIBE;
                        case "CreateTaskPushNotificationConfig",
                                "GetTaskPushNotificationConfig",
                                "ListTaskPushNotificationConfigs",
                                "DeleteTaskPushNotificationConfig" -> PUSH;
                        case "ListTasks", "GetExtendedAgentCard" -> UNSUPPORTED;
                        default -> null;
                    }
                    : switch (method) {
                        case "message/send" -> SEND;
                        case "message/stream" -> STREAM;
                        case "tasks/get" -> GET;
                        case "tasks/cancel" -> CANCEL;
                        case "tasks/resubscribe" -> SUBSCRIBE;
                        case "tasks/pushNotificationConfig/set",
                                "tasks/pushNotificationConfig/get",
                                "tasks/pushNotificationConfig/list",
                                "tasks/pushNotificationConfig/delete" -> PUSH;
                        case "agent/getAuthenticatedExtendedCard" -> UNSUPPORTED;
                        default -> null;
                    };
            if (op == null) {
                throw new A2aError(
                        A2aError.METHOD_NOT_FOUND, "Method not found: " + method + " (A2A " + version.text() + ")");
            }
            return op;
        }
    }
}
