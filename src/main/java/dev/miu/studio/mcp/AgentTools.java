package dev.miu.studio.mcp;

import dev.miu.agents.AgentCatalog;
import dev.miu.config.AgentDefinition;
import dev.miu.config.MiuConfig;
import dev.miu.config.ToolRef;
import dev.miu.core.ConfigurationException;
import dev.miu.core.json.Json;
import dev.miu.core.mcp.JsonRpcMessage;
import dev.miu.core.mcp.McpException;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.studio.StudioException;
import dev.miu.studio.chat.ChatEvent;
import dev.miu.studio.chat.ChatRunner;
import dev.miu.studio.chat.ChatTurn;
import dev.miu.studio.chat.TurnResult;
import dev.miu.studio.http.Errors;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionIds;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.session.SessionTitle;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The hosted agents as MCP tools: {@code ask_<agent>} takes {@code {message, session_id?}}, runs one turn of a stored
 * session of that agent (a new one without {@code session_id}) and answers with the agent's text. Anything that
 * keeps the turn from answering (a bad argument, a busy or unknown session, calls waiting for approval, a provider
 * failure) is a result with {@code isError}, so the calling model can read it; only an unknown tool is a protocol
 * error.
 */
public final class AgentTools {

    public static final String PREFIX = "ask_";

    private static final System.Logger LOG = System.getLogger(AgentTools.class.getName());

    private final ChatRunner chat;
    private final SessionRepository sessions;
    private final MiuConfig config;
    private final int maxMessageChars;

    /** {@code maxMessageChars} bounds a call's {@code message} (the transports bound the whole request too). */
    public AgentTools(ChatRunner chat, SessionRepository sessions, MiuConfig config, int maxMessageChars) {
        this.chat = chat;
        this.sessions = sessions;
        this.config = config;
        this.maxMessageChars = maxMessageChars;
    }

    private AgentCatalog agents() {
        return chat.agents();
    }

    /** The {@code tools} of a {@code tools/list} result, in the catalog's order, for protocol {@code version}. */
    public JsonArray list(String version) {
        boolean structured = McpProtocol.structured(version);
        var tools = Json.array();
        for (AgentDefinition agent : agents().definitions()) {
            String description = agent.description().isBlank()
                    ? "Ask the miu agent '" + agent.name() + "' (" + agent.type() + ")."
                    : agent.description();
            var tool = Json.object()
                    .add("name", PREFIX + agent.name())
                    .add(
                            "description",
                            description + " Pass session_id from an earlier answer to continue that conversation.")
                    .add("inputSchema", inputSchema())
                    .add("annotations", annotations(agent, structured));
            if (structured) {
                tool.add("title", "Ask " + agent.name()).add("outputSchema", outputSchema());
            }
            tools.add(tool);
        }
        return tools.build();
    }

    private JsonObject inputSchema() {
        return Json.object()
                .add("type", "object")
                .add(
                        "properties",
                        Json.object()
                                .add(
                                        "message",
                                        Json.object()
                                                .add("type", "string")
                                                .add("description", "What to ask or tell the agent")
                                                .add("minLength", 1)
                                                .add("maxLength", maxMessageChars))
                                .add(
                                        "session_id",
                                        Json.object()
                                                .add("type", "string")
                                                .add(
                                                        "description",
                                                        "A session this agent answered in before, to continue it;"
                                                                + " leave out to start a new one")))
                .add("required", Json.array().add("message"))
                .add("additionalProperties", false)
                .build();
    }

    private static JsonObject outputSchema() {
        var text = Json.object().add("type", "string");
        return Json.object()
                .add("type", "object")
                .add(
                        "properties",
                        Json.object()
                                .add("response", text)
                                .add("session_id", text)
                                .add("agent", text)
                                .add("stop_reason", text)
                                .add("pending_approvals", Json.object().add("type", "array")))
                .add("required", Json.array().add("response").add("session_id").add("stop_reason"))
                .build();
    }

    /**
     * Hints for hosts deciding whether to ask their user: an agent whose tools (its own and those of the agents it
     * runs) only read (retrieval, built-ins, coding tools in plan mode) is read-only; any other may change things.
     * Every agent calls a model, so the world is open, and no turn is idempotent (each one is stored).
     */
    private JsonObject annotations(AgentDefinition agent, boolean structured) {
        boolean readOnly = readOnly(agent, new HashSet<>());
        var a = Json.object()
                .add("readOnlyHint", readOnly)
                .add("destructiveHint", !readOnly)
                .add("idempotentHint", false)
                .add("openWorldHint", true);
        if (!structured) {
            a.add("title", "Ask " + agent.name()); // older protocols have the title only here
        }
        return a.build();
    }

    private boolean readOnly(AgentDefinition agent, Set<String> seen) {
        if (!seen.add(agent.name())) {
            return true;
        }
        if (agent instanceof AgentDefinition.Model model) {
            for (ToolRef ref : model.tools()) {
                boolean reads = switch (ref) {
                    case ToolRef.Builtin b -> true;
                    case ToolRef.Rag r -> true;
                    case ToolRef.Code c -> c.mode().equals("plan");
                    case ToolRef.Mcp m -> false; // another server's tools may do anything
                    case ToolRef.AgentTool t -> true; // checked through uses() below
                    case ToolRef.A2a a -> false; // a remote agent may do anything
                };
                if (!reads) {
                    return false;
                }
            }
        }
        for (String used : agent.uses()) {
            Optional<AgentDefinition> definition = agents().find(used);
            if (definition.isPresent() && !readOnly(definition.get(), seen)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code tools/call}: one turn of the agent the tool names, reporting what it does to {@code progress}, and
     * returns the {@code CallToolResult}.
     *
     * @throws McpException {@code -32602} when no tool has that name
     */
    public JsonObject call(
            String toolName, JsonObject arguments, String version, InFlightCall call, Consumer<String> progress) {
        AgentDefinition agent = toolName != null && toolName.startsWith(PREFIX)
                ? agents().find(toolName.substring(PREFIX.length())).orElse(null)
                : null;
        if (agent == null) {
            throw new McpException(
                    "Unknown tool: " + toolName + "; tools: "
                            + agents().names().stream().map(n -> PREFIX + n).collect(Collectors.joining(", ")),
                    JsonRpcMessage.ErrorResponse.INVALID_PARAMS,
                    null);
        }
        Arguments args;
        try {
            args = Arguments.read(arguments, maxMessageChars);
        } catch (IllegalArgumentException e) {
            return error(null, e.getMessage());
        }
        String sessionId;
        boolean created = args.sessionId() == null;
        if (!created) {
            String id = SessionIds.normalize(args.sessionId());
            Session session = id == null ? null : sessions.find(id).orElse(null);
            if (session == null) {
                return error(null, "No session " + args.sessionId() + "; leave session_id out to start a new one");
            }
            String owner = session.orAgent(agents().defaultAgent()).agent();
            if (!owner.equals(agent.name())) {
                return error(
                        id,
                        "Session " + id + " belongs to agent '" + owner + "'; call " + PREFIX + owner
                                + " to continue it");
            }
            sessionId = id;
        } else {
            sessionId = newSession(agent).id();
        }
        ChatTurn claimed;
        try {
            claimed = chat.begin(sessionId);
        } catch (StudioException e) {
            if (created) {
                sessions.delete(sessionId); // nothing ran: leave no empty session behind
            }
            return error(created ? null : sessionId, e.detail());
        }
        TurnResult result;
        try (ChatTurn turn = claimed) {
            call.attach(turn);
            progress.accept("Agent " + agent.name() + " is working");
            var answering = new java.util.concurrent.atomic.AtomicBoolean(); // said once per stretch of text
            result = chat.run(turn, args.message(), event -> {
                if (event instanceof ChatEvent.Chunk c) {
                    if (answering.compareAndSet(false, true)) {
                        progress.accept(speaker(c.agent()) + "writing the answer");
                    }
                } else {
                    answering.set(event instanceof ChatEvent.UsageUpdate && answering.get());
                    report(event, progress);
                }
            });
        } catch (StudioException e) {
            return error(sessionId, e.detail());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "MCP tool call " + toolName + " failed on session " + sessionId, e);
            return error(sessionId, Errors.hiddenDetail(e));
        }
        return answer(result, version);
    }

    /** The arguments of an {@code ask_} tool, checked. */
    private record Arguments(String message, String sessionId) {
        static Arguments read(JsonObject arguments, int maxMessageChars) {
            JsonObject a = arguments == null ? Json.EMPTY_OBJECT : arguments;
            for (String key : a.keySet()) {
                if (!key.equals("message") && !key.equals("session_id")) {
                    throw new IllegalArgumentException(
                            "Unknown argument '" + key + "'; the arguments are message and session_id");
                }
            }
            if (!(a.get("message") instanceof JsonString m) || m.getString().isBlank()) {
                throw new IllegalArgumentException("The argument 'message' is required: a non-empty string");
            }
            if (m.getString().length() > maxMessageChars) {
                throw new IllegalArgumentException(
                        "The argument 'message' is longer than " + maxMessageChars + " characters");
            }
            JsonValue session = a.get("session_id");
            String sessionId = null;
            if (session != null && session.getValueType() != JsonValue.ValueType.NULL) {
                if (!(session instanceof JsonString s) || s.getString().isBlank()) {
                    throw new IllegalArgumentException("The argument 'session_id' must be a session id string");
                }
                sessionId = s.getString().strip();
            }
            return new Arguments(m.getString(), sessionId);
        }
    }

    /** A new, untitled session of {@code agent} with its own model and instructions, as the sessions API makes one. */
    private Session newSession(AgentDefinition agent) {
        String model = null;
        String instructions = null;
        if (agent instanceof AgentDefinition.Model m) {
            instructions = m.instructions();
            try {
                model = config.resolveModel(m.model()).toString();
            } catch (ConfigurationException e) {
                model = null; // no provider: the turn's begin answers with what to configure
            }
        }
        Instant now = Instant.now();
        return sessions.create(new Session(
                SessionIds.newId(),
                SessionTitle.UNTITLED,
                model,
                instructions,
                now,
                now,
                List.of(),
                Usage.ZERO,
                agent.name()));
    }

    /** Turns the events a host can show while it waits into short progress messages. */
    private static void report(ChatEvent event, Consumer<String> progress) {
        switch (event) {
            case ChatEvent.ToolCall c -> progress.accept(speaker(c.agent()) + "calls tool " + c.name());
            case ChatEvent.ToolResult r ->
                progress.accept(speaker(r.agent()) + "got the result of " + r.name() + (r.isError() ? " (error)" : ""));
            case ChatEvent.AgentStart s -> progress.accept("Agent " + s.agent() + " starts");
            case ChatEvent.AgentEnd e -> progress.accept("Agent " + e.agent() + " is done");
            default -> {}
        }
    }

    private static String speaker(String agent) {
        return agent == null ? "" : agent + ": ";
    }

    private JsonObject answer(TurnResult result, String version) {
        String session = result.sessionId();
        var structured = Json.object()
                .add("response", result.response())
                .add("session_id", session)
                .add("agent", result.agent())
                .add("stop_reason", result.stopReason().wireName());
        String text;
        boolean isError;
        if (result.stopReason() == StopReason.AWAITING_APPROVAL && result.pendingApprovals() != null) {
            structured.add("pending_approvals", result.pendingApprovals());
            text = (result.response().isBlank() ? "" : result.response() + "\n\n")
                    + "The turn paused: tool calls wait for a person's approval: "
                    + result.pendingApprovals().getValuesAs(JsonObject.class).stream()
                            .map(i -> i.getString("name") + " (approval " + i.getString("approval_id") + ")")
                            .collect(Collectors.joining(", "))
                    + ". Decide them in the miu studio (POST /api/v1/sessions/" + session
                    + "/approvals/{approval_id}), then continue with session_id " + session + ".";
            isError = true;
        } else if (result.stopReason() == StopReason.CANCELLED) {
            text = "The turn was cancelled; what it did so far is stored in session " + session + ".";
            isError = true;
        } else {
            text = result.response();
            isError = result.stopReason() == StopReason.ERROR;
        }
        var content = Json.array()
                .add(textBlock(text))
                .add(textBlock("session_id: " + session + " (pass it to continue this conversation)"));
        var out = Json.object().add("content", content).add("isError", isError);
        if (McpProtocol.structured(version)) {
            out.add("structuredContent", structured);
        }
        return out.build();
    }

    /** A tool result with {@code isError}: what went wrong, for the calling model to read. */
    private static JsonObject error(String sessionId, String message) {
        var content = Json.array().add(textBlock(message));
        if (sessionId != null) {
            content.add(textBlock("session_id: " + sessionId));
        }
        return Json.object().add("content", content).add("isError", true).build();
    }

    private static JsonObject textBlock(String text) {
        return Json.object().add("type", "text").add("text", text).build();
    }
}
