package dev.miu.core.pattern;

import dev.miu.core.CancelledException;
import dev.miu.core.agent.Agent;
import dev.miu.core.agent.Response;
import dev.miu.core.json.Json;
import dev.miu.core.message.Message;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolResult;
import jakarta.json.JsonObject;

import java.util.List;
import java.util.Objects;

/**
 * An agent offered to another agent as a tool: the model sends it a task, the agent runs on that task alone (it
 * does not see the caller's conversation) to its answer, and the answer is the tool's result. A failure, or a run
 * that ends without an answer, is an error result the model reads. The agent's events reach the caller's stream
 * through {@link ToolContext#events()}, framed as a sub-agent's ({@code AgentStart}, {@code Nested},
 * {@code AgentEnd}).
 *
 * <pre>{@code
 * var writer = new ReActAgent(AgentConfig.of("writer", "anthropic:claude-sonnet-4-5"), provider,
 *         ToolRegistry.of(AgentTool.of(researcher, "Finds facts on the web and cites them")));
 * }</pre>
 */
public final class AgentTool {

    /** The one input: what the agent is asked to do. */
    static final JsonObject INPUT_SCHEMA = Json.object()
            .add("type", "object")
            .add(
                    "properties",
                    Json.object()
                            .add(
                                    "task",
                                    Json.object()
                                            .add("type", "string")
                                            .add(
                                                    "description",
                                                    "What the agent should do, with everything it needs to know:"
                                                            + " it does not see this conversation")))
            .add("required", Json.array().add("task"))
            .build();

    private AgentTool() {}

    /**
     * The tool that runs {@code agent}, named after it ({@link #toolName}).
     *
     * @param description what the agent is for, shown to the calling model; blank for a generic one
     */
    public static Tool of(Agent agent, String description) {
        Objects.requireNonNull(agent, "agent");
        String name = agent.config().name();
        String shown = description == null || description.isBlank()
                ? "Asks the agent '" + name + "' to do a task and returns its answer."
                : description.strip();
        return Tool.of(toolName(name), shown, INPUT_SCHEMA, (input, context) -> call(agent, input, context));
    }

    /**
     * The tool name for an agent: its name, with any character other than ASCII letters, digits, {@code _} and
     * {@code -} replaced by {@code _}, {@code agent_} put before a name not starting with a letter or {@code _}
     * (Gemini's rule), cut to 64 characters. Anthropic, OpenAI and Gemini all accept {@code -} in tool names, so a
     * declared agent's name ({@code help-desk}) is its tool's name as it is.
     */
    public static String toolName(String agentName) {
        String name = agentName.replaceAll("[^A-Za-z0-9_-]", "_");
        if (name.isEmpty() || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
            name = "agent_" + name;
        }
        return name.substring(0, Math.min(64, name.length()));
    }

    private static ToolResult call(Agent agent, JsonObject input, ToolContext context) {
        String name = agent.config().name();
        String task = input.getString("task", "").strip();
        if (task.isEmpty()) {
            return ToolResult.error("The task for agent '" + name + "' is empty: say what it should do");
        }
        var runs = new SubAgentRuns(context.events()::accept);
        Response response;
        try {
            // the agent's events are framed here; its own context reports nowhere else
            response = runs.stream(agent, List.of(Message.user(task)), context.withEvents(e -> {}));
        } catch (CancelledException e) {
            return cancelled(name);
        } catch (RuntimeException e) {
            return ToolResult.error("Agent '" + name + "' failed: " + AgentRuns.message(e));
        }
        return switch (AgentRuns.outcome(agent, response)) {
            case Outcome.Cancelled c -> cancelled(name);
            case Outcome.Failed f -> ToolResult.error("Agent '" + name + "' failed: " + f.error());
            case Outcome.Succeeded s
            when s.response().text().isBlank() -> ToolResult.error("Agent '" + name + "' finished without an answer");
            case Outcome.Succeeded s -> ToolResult.ok(s.response().text());
            case Outcome.Skipped s -> ToolResult.error("Agent '" + name + "' did not run: " + s.reason());
        };
    }

    /** The agent handled the interrupt and cleared it; set it again so the calling run stops too. */
    private static ToolResult cancelled(String name) {
        Thread.currentThread().interrupt();
        return ToolResult.error("Agent '" + name + "' was cancelled");
    }
}
