package dev.miu.studio.a2a;

import dev.miu.config.AgentDefinition;
import dev.miu.config.ToolRef;
import dev.miu.core.MiuVersion;
import dev.miu.core.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

/**
 * The agent card of a hosted agent: what it is for (a skill from its description, one per tool it uses), where its
 * JSON-RPC endpoint is (1.0, and 0.3's top-level {@code url} so older clients find it too), streaming on, push
 * notifications off, and the bearer scheme when the server has an API key.
 */
final class AgentCards {

    private AgentCards() {}

    /** {@code endpoint}: the agent's absolute JSON-RPC URL, {@code .../a2a/NAME}. */
    static JsonObject card(AgentDefinition agent, String endpoint, boolean keyRequired) {
        String description = agent.description().isBlank()
                ? "The miu " + agent.type() + " '" + agent.name() + "'"
                : agent.description();
        var o = Json.object()
                .add("name", agent.name())
                .add("description", description)
                .add(
                        "supportedInterfaces",
                        Json.array().add(anInterface(endpoint, "1.0")).add(anInterface(endpoint, "0.3")))
                .add("version", MiuVersion.get())
                .add(
                        "capabilities",
                        Json.object()
                                .add("streaming", true)
                                .add("pushNotifications", false)
                                .add("extendedAgentCard", false))
                .add("defaultInputModes", Json.array().add("text/plain").add("application/json"))
                .add("defaultOutputModes", Json.array().add("text/plain"))
                .add("skills", skills(agent, description))
                // 0.3 clients read these; 1.0 clients see supportedInterfaces and ignore them
                .add("url", endpoint)
                .add("preferredTransport", "JSONRPC")
                .add("protocolVersion", "0.3.0");
        if (keyRequired) {
            o.add(
                            "securitySchemes",
                            Json.object()
                                    .add(
                                            "bearer",
                                            Json.object()
                                                    .add(
                                                            "httpAuthSecurityScheme",
                                                            Json.object()
                                                                    .add("description", "The server's MIU_API_KEY")
                                                                    .add("scheme", "Bearer"))))
                    .add(
                            "securityRequirements",
                            Json.array()
                                    .add(Json.object()
                                            .add(
                                                    "schemes",
                                                    Json.object()
                                                            .add(
                                                                    "bearer",
                                                                    Json.object()
                                                                            .add("list", Json.array())))));
        }
        return o.build();
    }

    private static JsonObject anInterface(String endpoint, String version) {
        return Json.object()
                .add("url", endpoint)
                .add("protocolBinding", "JSONRPC")
                .add("protocolVersion", version)
                .build();
    }

    private static JsonArrayBuilder skills(AgentDefinition agent, String description) {
        JsonArrayBuilder skills = Json.array()
                .add(Json.object()
                        .add("id", agent.name())
                        .add("name", agent.name())
                        .add("description", description)
                        .add("tags", Json.array().add("miu").add(agent.type())));
        if (agent instanceof AgentDefinition.Model m) {
            for (ToolRef tool : m.tools()) {
                skills.add(Json.object()
                        .add("id", "tool:" + tool.label())
                        .add("name", tool.label())
                        .add("description", toolText(tool))
                        .add("tags", Json.array().add("tool")));
            }
        } else {
            for (String used : agent.uses()) {
                skills.add(Json.object()
                        .add("id", "agent:" + used)
                        .add("name", used)
                        .add("description", "Hands work to the agent '" + used + "'")
                        .add("tags", Json.array().add("agent")));
            }
        }
        return skills;
    }

    /** What a tool entry lets the agent do, in words (tool ids and workspaces only, no secrets). */
    private static String toolText(ToolRef tool) {
        return switch (tool) {
            case ToolRef.Builtin b -> "Uses the built-in tool " + b.name();
            case ToolRef.Mcp m ->
                m.tool() == null
                        ? "Uses the tools of the MCP server " + m.server()
                        : "Uses the tool " + m.tool() + " of the MCP server " + m.server();
            case ToolRef.Rag r -> "Searches the knowledge collection " + r.collection();
            case ToolRef.Code c -> "Reads, edits and runs code in a workspace";
            case ToolRef.AgentTool a -> "Asks the agent '" + a.agent() + "'";
            case ToolRef.A2a a -> "Asks a remote A2A agent";
        };
    }
}
