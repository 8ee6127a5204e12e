package dev.miu.studio.http;

import dev.miu.agents.AgentCatalog;
import dev.miu.core.MiuVersion;
import dev.miu.core.json.Json;
import dev.miu.studio.ModelStatus;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.List;
import java.util.function.Supplier;

/**
 * {@code /info}: what this server is and whether it can answer chats: miu's version, the default model, whether
 * its provider is configured and, if not, the variables to set, the tools, and the agents with the one new sessions
 * get. The web UI's first page is built from it.
 */
public final class InfoService implements HttpService {

    static final String DESCRIPTION = "miu is an AI agent platform for the JVM: chat with a model that can call "
            + "tools, in sessions kept on this server.";

    /** Configuration is read once at start-up, so all but the tools (MCP servers may come and go) is fixed. */
    private final JsonObject fixed;

    private final Supplier<List<String>> tools;
    private final AgentCatalog agents;

    public InfoService(ModelStatus status, Supplier<List<String>> tools, AgentCatalog agents) {
        this.tools = tools;
        this.agents = agents;
        var settings = Json.array();
        for (ModelStatus.Setting s : status.settings()) {
            settings.add(Json.object()
                    .add("name", s.name())
                    .add("example", s.example())
                    .add("description", s.description()));
        }
        this.fixed = Json.object()
                .add("name", "miu")
                .add("version", MiuVersion.get())
                .add("description", DESCRIPTION)
                .add("model", status.model() == null ? JsonValue.NULL : Json.string(status.model()))
                .add("provider_configured", status.configured())
                .add("detail", status.problem() == null ? JsonValue.NULL : Json.string(status.problem()))
                .add("settings", settings)
                .build();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/info", this::info);
    }

    private void info(ServerRequest req, ServerResponse res) {
        var toolNames = Json.array();
        tools.get().forEach(toolNames::add);
        var agentNames = Json.array();
        agents.names().forEach(agentNames::add);
        HttpJson.send(
                res,
                Json.PROVIDER
                        .createObjectBuilder(fixed)
                        .add("tools", toolNames)
                        .add("agents", agentNames)
                        .add("default_agent", agents.defaultAgent())
                        .build());
    }
}
