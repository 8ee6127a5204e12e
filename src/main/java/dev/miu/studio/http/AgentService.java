package dev.miu.studio.http;

import dev.miu.agents.AgentCatalog;
import dev.miu.config.AgentDefinition;
import dev.miu.config.MiuConfig;
import dev.miu.config.ToolRef;
import dev.miu.core.ConfigurationException;
import dev.miu.core.json.Json;
import dev.miu.studio.StudioException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.util.List;

/**
 * {@code /agents}: the agents this server hosts. The list gives each one's name, description, type, model and tools
 * (what "New chat" offers) and the default; one agent adds its settings or its composition (routes, stages, tasks)
 * and the file it was declared in.
 */
public final class AgentService implements HttpService {

    private final AgentCatalog agents;
    private final MiuConfig config;

    public AgentService(AgentCatalog agents, MiuConfig config) {
        this.agents = agents;
        this.config = config;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/agents", this::list).get("/agents/", this::list).get("/agents/{name}", this::show);
    }

    private void list(ServerRequest req, ServerResponse res) {
        var array = Json.array();
        for (AgentDefinition agent : agents.definitions()) {
            array.add(summary(agent));
        }
        HttpJson.send(
                res,
                Json.object()
                        .add("agents", array)
                        .add("default", agents.defaultAgent())
                        .build());
    }

    private void show(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        // checked against the name rule first, so a path segment never reaches the catalog or the answer unchecked
        if (!AgentDefinition.NAME.matcher(name).matches()) {
            throw StudioException.notFound(
                    "Agent not found: agent names are lower-case letters, digits and '-', starting with a letter");
        }
        AgentDefinition agent = agents.find(name)
                .orElseThrow(() -> StudioException.notFound(
                        "Agent '" + name + "' not found; known agents: " + String.join(", ", agents.names())));
        HttpJson.send(res, detail(agent));
    }

    private JsonObjectBuilder summary(AgentDefinition agent) {
        var tools = Json.array();
        if (agent instanceof AgentDefinition.Model m) {
            m.tools().stream().map(AgentService::label).forEach(tools::add);
        }
        return Json.object()
                .add("name", agent.name())
                .add("description", agent.description())
                .add("type", agent.type())
                .add("model", nullable(model(agent)))
                .add("tools", tools);
    }

    /** A tool's label; a workspace by its folder's name only, as the API never names the server's files. */
    private static String label(ToolRef tool) {
        return tool instanceof ToolRef.Code code && code.workspace().getFileName() != null
                ? "code:" + code.workspace().getFileName()
                : tool.label();
    }

    private JsonObject detail(AgentDefinition agent) {
        JsonObjectBuilder json = summary(agent)
                .add("uses", strings(agent.uses()))
                .add(
                        "source",
                        agent.source() == null || agent.source().getFileName() == null
                                ? JsonValue.NULL
                                : Json.string(agent.source().getFileName().toString()));
        switch (agent) {
            case AgentDefinition.Model m ->
                json.add("instructions", nullable(m.instructions()))
                        .add("max_iterations", m.maxIterations())
                        .add("max_tokens", m.maxTokens())
                        .add(
                                "temperature",
                                m.temperature() == null ? JsonValue.NULL : Json.PROVIDER.createValue(m.temperature()));
            case AgentDefinition.Router r -> {
                var routes = Json.array();
                for (AgentDefinition.RouteDefinition route : r.routes()) {
                    routes.add(Json.object()
                            .add("agent", route.agent())
                            .add("description", nullable(route.description()))
                            .add("keywords", strings(route.keywords()))
                            .add("regex", nullable(route.regex()))
                            .add("priority", route.priority()));
                }
                json.add("routes", routes)
                        .add("classifier_model", nullable(r.classifierModel()))
                        .add("default", nullable(r.defaultAgent()));
            }
            case AgentDefinition.Pipeline p -> json.add("stages", strings(p.stages()));
            case AgentDefinition.Orchestrator o -> {
                var tasks = Json.array();
                for (AgentDefinition.TaskDefinition task : o.tasks()) {
                    tasks.add(Json.object()
                            .add("id", task.id())
                            .add("agent", task.agent())
                            .add("prompt", task.prompt())
                            .add("depends_on", strings(task.dependsOn())));
                }
                json.add("tasks", tasks).add("max_parallel", o.maxParallel());
            }
        }
        return json.build();
    }

    /** A model agent's model (its own, else the server's default when one is configured); none for a composition. */
    private String model(AgentDefinition agent) {
        if (!(agent instanceof AgentDefinition.Model m)) {
            return null;
        }
        try {
            return config.resolveModel(m.model()).toString();
        } catch (ConfigurationException e) {
            return m.model();
        }
    }

    private static JsonArrayBuilder strings(List<String> values) {
        var array = Json.array();
        values.forEach(array::add);
        return array;
    }

    private static JsonValue nullable(String s) {
        return s == null ? JsonValue.NULL : Json.string(s);
    }
}
