package dev.miu.studio.http;

import dev.miu.agents.AgentCatalog;
import dev.miu.config.AgentDefinition;
import dev.miu.config.MiuConfig;
import dev.miu.core.ConfigurationException;
import dev.miu.core.json.Json;
import dev.miu.core.message.Usage;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.Providers;
import dev.miu.studio.StudioException;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionIds;
import dev.miu.studio.session.SessionJson;
import dev.miu.studio.session.SessionPage;
import dev.miu.studio.session.SessionQuery;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.session.SessionSummary;
import dev.miu.studio.session.SessionTitle;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code /sessions}: list, create, read, change and delete chat sessions. A session runs one of the hosted agents
 * ({@code agent}); a session stored before agents were named runs, and shows, the default agent.
 */
public final class SessionService implements HttpService {

    static final int MAX_NAME = 200;
    static final int MAX_MODEL = 200;
    static final int MAX_SYSTEM_PROMPT = 100_000;
    static final int MAX_AGENT = 64;
    /** Sessions per page when a page is asked for without {@code limit}. */
    static final int DEFAULT_PAGE = 50;

    private final SessionRepository sessions;
    private final MiuConfig config;
    private final AgentCatalog agents;
    private final long maxBodyBytes;

    public SessionService(SessionRepository sessions, MiuConfig config, AgentCatalog agents) {
        this.sessions = sessions;
        this.config = config;
        this.agents = agents;
        this.maxBodyBytes = config.server().maxBodyBytes();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/sessions", this::list)
                .get("/sessions/", this::list)
                .post("/sessions", this::create)
                .post("/sessions/", this::create)
                .get("/sessions/{id}", this::get)
                .patch("/sessions/{id}", this::update)
                .delete("/sessions/{id}", this::delete);
    }

    /**
     * Without parameters, every session as an array (the original answer). With any of {@code limit}, {@code cursor},
     * {@code agent}, {@code q}: one page, {@code {"sessions": [...], "next_cursor": "..." | null}}.
     */
    private void list(ServerRequest req, ServerResponse res) {
        var params = req.query();
        if (!params.contains("limit")
                && !params.contains("cursor")
                && !params.contains("agent")
                && !params.contains("q")) {
            var array = Json.array();
            for (SessionSummary summary : sessions.list()) {
                array.add(SessionJson.toJson(summary.orAgent(agents.defaultAgent())));
            }
            HttpJson.send(res, array.build());
            return;
        }
        SessionPage page = sessions.list(query(params));
        var array = Json.array();
        for (SessionSummary summary : page.sessions()) {
            array.add(SessionJson.toJson(summary.orAgent(agents.defaultAgent())));
        }
        HttpJson.send(
                res,
                Json.object()
                        .add("sessions", array)
                        .add(
                                "next_cursor",
                                page.nextCursor() == null
                                        ? JsonValue.NULL
                                        : Json.string(page.nextCursor().encode()))
                        .build());
    }

    /** The page asked for; a malformed parameter is a 400 naming it. */
    private SessionQuery query(io.helidon.common.uri.UriQuery params) {
        try {
            int limit = DEFAULT_PAGE;
            String limitText = params.first("limit").orElse(null);
            if (limitText != null) {
                try {
                    limit = Integer.parseInt(limitText.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("limit must be a whole number, got '" + limitText + "'");
                }
            }
            String cursor = params.first("cursor").orElse(null);
            String agent = params.first("agent").map(String::strip).orElse(null);
            if (agent != null && (agent.isEmpty() || agent.length() > MAX_AGENT)) {
                throw new IllegalArgumentException("agent must be 1 to " + MAX_AGENT + " characters");
            }
            String q = params.first("q").orElse(null);
            return new SessionQuery(
                    limit,
                    cursor == null || cursor.isEmpty() ? null : SessionQuery.Cursor.decode(cursor),
                    agent,
                    q,
                    agents.defaultAgent());
        } catch (IllegalArgumentException e) {
            throw StudioException.badRequest(e.getMessage());
        }
    }

    private void create(ServerRequest req, ServerResponse res) {
        JsonObject body = HttpJson.readObject(req, maxBodyBytes);
        String name = Fields.optionalString(body, "name", MAX_NAME);
        AgentDefinition agent = Fields.has(body, "agent") ? agent(body) : defaultAgent();
        String model = Fields.has(body, "model") ? model(body) : defaultModel(agent);
        String systemPrompt = Fields.has(body, "system_prompt")
                ? emptyToNull(Fields.optionalString(body, "system_prompt", MAX_SYSTEM_PROMPT))
                : defaultInstructions(agent);
        Instant now = Instant.now();
        // untitled until the first message titles it
        String title = name == null || name.isBlank() ? SessionTitle.UNTITLED : name.strip();
        Session session = sessions.create(new Session(
                SessionIds.newId(), title, model, systemPrompt, now, now, List.of(), Usage.ZERO, agent.name()));
        res.header(HeaderNames.LOCATION, "/api/v1/sessions/" + session.id());
        HttpJson.send(res, 201, SessionJson.toApiJson(session));
    }

    private void get(ServerRequest req, ServerResponse res) {
        String id = pathId(req);
        Session session = sessions.find(id).orElseThrow(() -> StudioException.notFound("Session not found"));
        HttpJson.send(res, SessionJson.toApiJson(session.orAgent(agents.defaultAgent())));
    }

    private void update(ServerRequest req, ServerResponse res) {
        String id = pathId(req);
        JsonObject body = HttpJson.readObject(req, maxBodyBytes);
        UnaryOperator<Session> change = UnaryOperator.identity();
        if (Fields.has(body, "agent")) {
            // another agent comes with its own model and instructions, unless this request sets them too
            AgentDefinition agent = agent(body);
            String model = defaultModel(agent);
            String instructions = defaultInstructions(agent);
            String current = agents.defaultAgent();
            change = andThen(
                    change,
                    s -> agent.name().equals(s.orAgent(current).agent())
                            ? s
                            : s.withAgent(agent.name()).withModel(model).withSystemPrompt(instructions));
        }
        if (Fields.has(body, "name")) {
            String name = Fields.requiredString(body, "name", MAX_NAME).strip();
            change = andThen(change, s -> s.withName(name));
        }
        if (Fields.has(body, "model")) {
            String model = model(body);
            change = andThen(change, s -> s.withModel(model));
        }
        if (body.containsKey("system_prompt")) {
            String prompt = emptyToNull(Fields.optionalString(body, "system_prompt", MAX_SYSTEM_PROMPT));
            change = andThen(change, s -> s.withSystemPrompt(prompt));
        }
        Session session = sessions.update(id, change).orElseThrow(() -> StudioException.notFound("Session not found"));
        HttpJson.send(res, SessionJson.toApiJson(session.orAgent(agents.defaultAgent())));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String id = pathId(req);
        if (!sessions.delete(id)) {
            throw StudioException.notFound("Session not found");
        }
        HttpJson.send(res, Json.object().add("deleted", id).build());
    }

    /** The id in the path, checked to be a UUID before it is used anywhere. */
    static String pathId(ServerRequest req) {
        String id = SessionIds.normalize(req.path().pathParameters().get("id"));
        if (id == null) {
            throw StudioException.badRequest("Invalid session ID format");
        }
        return id;
    }

    /** A model spec from the body: a known provider, with its default model filled in when only the provider is named. */
    private static String model(JsonObject body) {
        String text = Fields.requiredString(body, "model", MAX_MODEL);
        ModelSpec spec;
        try {
            spec = ModelSpec.parse(text);
        } catch (ConfigurationException e) {
            throw StudioException.unprocessable(e.getMessage());
        }
        if (!Providers.KNOWN.contains(spec.provider())) {
            throw StudioException.unprocessable("Unknown provider '" + spec.provider() + "' in model '" + text
                    + "'; known providers: " + String.join(", ", Providers.KNOWN));
        }
        return spec.model() != null ? spec.toString() : spec.provider() + ":" + Providers.defaultModel(spec.provider());
    }

    /** A hosted agent named in the body; an unknown one is a 422 naming the known ones. */
    private AgentDefinition agent(JsonObject body) {
        String name = Fields.requiredString(body, "agent", MAX_AGENT);
        return agents.find(name)
                .orElseThrow(() -> StudioException.unprocessable(
                        "Unknown agent '" + name + "'; known agents: " + String.join(", ", agents.names())));
    }

    private AgentDefinition defaultAgent() {
        return agents.find(agents.defaultAgent())
                .orElseThrow(() -> new IllegalStateException(
                        "The default agent '" + agents.defaultAgent() + "' is not in the catalog"));
    }

    /**
     * The model a session on {@code agent} gets: the agent's own, or the configured or detected default (none yet
     * when no provider is set up); none for a composition, whose agents each have theirs.
     */
    private String defaultModel(AgentDefinition agent) {
        if (!(agent instanceof AgentDefinition.Model m)) {
            return null;
        }
        try {
            return config.resolveModel(m.model()).toString();
        } catch (ConfigurationException e) {
            return null;
        }
    }

    /** The system prompt a session on {@code agent} gets: its instructions; none for a composition. */
    private static String defaultInstructions(AgentDefinition agent) {
        return agent instanceof AgentDefinition.Model m ? m.instructions() : null;
    }

    private static UnaryOperator<Session> andThen(UnaryOperator<Session> first, UnaryOperator<Session> next) {
        return s -> next.apply(first.apply(s));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
