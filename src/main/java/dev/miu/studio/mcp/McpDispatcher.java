package dev.miu.studio.mcp;

import dev.miu.config.MiuConfig;
import dev.miu.core.MiuVersion;
import dev.miu.core.json.Json;
import dev.miu.core.mcp.JsonRpcMessage;
import dev.miu.core.mcp.JsonRpcMessage.ErrorResponse;
import dev.miu.core.mcp.McpException;
import dev.miu.studio.chat.ChatRunner;
import dev.miu.studio.http.Errors;
import dev.miu.studio.session.SessionRepository;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The MCP server's protocol, whatever carries it: the lifecycle ({@code initialize} negotiating the version,
 * {@code notifications/initialized}), {@code ping}, {@code tools/list} and {@code tools/call} over {@link AgentTools},
 * progress notifications for a call whose request carried a {@code progressToken}, and
 * {@code notifications/cancelled}, which stops the call's turn (a cancelled call gets no answer, as the spec asks).
 * Every method is safe to call from several threads at once: a transport runs each tool call on its own thread.
 */
public final class McpDispatcher {

    /** The most tool calls one session may have running at once. */
    static final int MAX_CALLS_PER_SESSION = 16;

    private static final String INSTRUCTIONS = "Each tool asks one miu agent. Answers carry a session_id: pass it"
            + " back to the same tool to continue that conversation.";

    private static final System.Logger LOG = System.getLogger(McpDispatcher.class.getName());

    private final AgentTools tools;

    public McpDispatcher(AgentTools tools) {
        this.tools = tools;
    }

    /** The agents {@code chat} runs as tools; a call's message may be as long as a request body may be. */
    public static McpDispatcher create(ChatRunner chat, SessionRepository sessions, MiuConfig config) {
        int maxChars = (int) Math.min(Integer.MAX_VALUE, config.server().maxBodyBytes());
        return new McpDispatcher(new AgentTools(chat, sessions, config, maxChars));
    }

    /**
     * Handles one message of {@code session}; {@code notify} sends notifications (progress) to its client while a
     * call runs.
     *
     * @return the answer to a request, or null for a notification, a response, or a cancelled call
     */
    public JsonRpcMessage handle(
            McpSession session, JsonRpcMessage message, Consumer<JsonRpcMessage.Notification> notify) {
        session.touch();
        return switch (message) {
            case JsonRpcMessage.Request r -> {
                try {
                    JsonObject result = request(session, r, notify);
                    yield result == null ? null : new JsonRpcMessage.Response(r.id(), result);
                } catch (McpException e) {
                    yield new ErrorResponse(
                            r.id(),
                            e.code() == McpException.NO_CODE ? ErrorResponse.INTERNAL_ERROR : e.code(),
                            e.getMessage(),
                            null);
                } catch (RuntimeException e) {
                    // a failure of miu's own (the session store, say): logged here, named only vaguely to the client
                    LOG.log(System.Logger.Level.ERROR, "MCP request " + r.method() + " failed", e);
                    yield new ErrorResponse(r.id(), ErrorResponse.INTERNAL_ERROR, Errors.hiddenDetail(e), null);
                }
            }
            case JsonRpcMessage.Notification n -> {
                notification(session, n);
                yield null;
            }
            // miu sends clients no requests, so there is nothing a response could answer
            case JsonRpcMessage.Response ignored -> null;
            case ErrorResponse ignored -> null;
        };
    }

    private JsonObject request(
            McpSession session, JsonRpcMessage.Request r, Consumer<JsonRpcMessage.Notification> notify) {
        JsonObject params = r.params() == null ? Json.EMPTY_OBJECT : r.params();
        if (r.method().equals("initialize")) {
            return initialize(session, params);
        }
        if (r.method().equals("ping")) {
            return Json.EMPTY_OBJECT;
        }
        String version = session.protocolVersion();
        if (version == null) {
            throw new McpException(
                    "The session is not initialized: send initialize first", ErrorResponse.INVALID_REQUEST, null);
        }
        return switch (r.method()) {
            case "tools/list" -> Json.object().add("tools", tools.list(version)).build();
            case "tools/call" -> call(session, r.id(), params, version, notify);
            default ->
                throw new McpException(
                        "Method not found: " + r.method() + " (miu serves tools: tools/list, tools/call)",
                        ErrorResponse.METHOD_NOT_FOUND,
                        null);
        };
    }

    private static JsonObject initialize(McpSession session, JsonObject params) {
        if (session.protocolVersion() != null) {
            throw new McpException("The session is already initialized", ErrorResponse.INVALID_REQUEST, null);
        }
        String version = McpProtocol.negotiate(Json.string(params, "protocolVersion", null));
        session.protocolVersion(version);
        return Json.object()
                .add("protocolVersion", version)
                .add("capabilities", Json.object().add("tools", Json.object().add("listChanged", false)))
                .add(
                        "serverInfo",
                        Json.object()
                                .add("name", "miu")
                                .add("title", "miu agents")
                                .add("version", MiuVersion.get()))
                .add("instructions", INSTRUCTIONS)
                .build();
    }

    private JsonObject call(
            McpSession session,
            JsonValue id,
            JsonObject params,
            String version,
            Consumer<JsonRpcMessage.Notification> notify) {
        if (!(params.get("name") instanceof JsonString name)) {
            throw new McpException("tools/call needs a string \"name\"", ErrorResponse.INVALID_PARAMS, null);
        }
        JsonValue arguments = params.get("arguments");
        if (arguments != null
                && arguments.getValueType() != JsonValue.ValueType.NULL
                && !(arguments instanceof JsonObject)) {
            throw new McpException("tools/call \"arguments\" must be an object", ErrorResponse.INVALID_PARAMS, null);
        }
        if (session.running() >= MAX_CALLS_PER_SESSION) {
            throw new McpException(
                    "Too many tool calls running in this session (at most " + MAX_CALLS_PER_SESSION + ")",
                    ErrorResponse.INVALID_REQUEST,
                    null);
        }
        InFlightCall call = session.start(id);
        if (call == null) {
            throw new McpException(
                    "A request with id " + id + " is already running", ErrorResponse.INVALID_REQUEST, null);
        }
        try {
            JsonObject result = tools.call(
                    name.getString(),
                    arguments instanceof JsonObject o ? o : Json.EMPTY_OBJECT,
                    version,
                    call,
                    progress(params, call, notify));
            return call.isCancelled() ? null : result;
        } finally {
            session.finished(id, call);
        }
    }

    /** Sends {@code notifications/progress} for the call when its request asked for them, else nothing. */
    private static Consumer<String> progress(
            JsonObject params, InFlightCall call, Consumer<JsonRpcMessage.Notification> notify) {
        JsonObject meta = Json.object(params, "_meta");
        JsonValue token = meta == null ? null : meta.get("progressToken");
        if (!(token instanceof JsonString) && !(token instanceof JsonNumber)) {
            return message -> {};
        }
        AtomicInteger step = new AtomicInteger();
        return message -> {
            if (call.isCancelled()) {
                return;
            }
            notify.accept(new JsonRpcMessage.Notification(
                    "notifications/progress",
                    Json.object()
                            .add("progressToken", token)
                            .add("progress", step.incrementAndGet())
                            .add("message", message)
                            .build()));
        };
    }

    private static void notification(McpSession session, JsonRpcMessage.Notification n) {
        switch (n.method()) {
            case "notifications/initialized" -> session.markInitialized();
            case "notifications/cancelled" -> {
                JsonValue requestId = n.params() == null ? null : n.params().get("requestId");
                if (requestId instanceof JsonString || requestId instanceof JsonNumber) {
                    session.cancel(requestId);
                }
            }
            default -> {} // roots, progress of the client's own: nothing miu needs
        }
    }
}
