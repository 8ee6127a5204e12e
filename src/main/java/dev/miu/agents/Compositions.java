package dev.miu.agents;

import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.Response;
import dev.miu.core.json.Json;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.pattern.Orchestrator;
import dev.miu.core.pattern.OrchestratorResult;
import dev.miu.core.pattern.Pipeline;
import dev.miu.core.pattern.PipelineResult;
import dev.miu.core.pattern.Router;
import dev.miu.core.pattern.RouterResult;
import dev.miu.core.pattern.Task;
import dev.miu.core.pattern.TaskResult;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolResult;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * TEMPORARY ADAPTER (issue 23, until branch h23-patterns is merged): {@link Agent} views of the pattern classes and
 * an agent offered as a tool. h23-patterns adds {@code Router.asAgent()}, {@code Pipeline.asAgent()},
 * {@code Orchestrator.asAgent(plan)} and {@code core.pattern.AgentTool}, which stream the sub-agents' events framed
 * by AgentStart/AgentEnd; at the merge each method here becomes a call of those and this file goes. Until then a
 * composition runs its sub-agents with their blocking {@code run} and reports only its final answer.
 */
final class Compositions {

    private Compositions() {}

    static Agent router(Router router) {
        return blocking(router.name(), "router", query -> {
            RouterResult result = router.run(query);
            return new Answer(
                    result.succeeded()
                            ? result.text()
                            : "Route '" + result.decision().route() + "' "
                                    + result.outcome().describe(),
                    result.outcome() instanceof dev.miu.core.pattern.Outcome.Succeeded s
                            ? s.response().usage()
                            : Usage.ZERO);
        });
    }

    static Agent pipeline(Pipeline pipeline) {
        return blocking(pipeline.name(), "pipeline", query -> {
            PipelineResult result = pipeline.run(query);
            String text = result.succeeded()
                    ? result.output()
                    : result.problems().stream()
                            .map(s -> "Stage '" + s.stage() + "' " + s.outcome().describe())
                            .reduce((a, b) -> a + "\n" + b)
                            .orElse("");
            return new Answer(text, result.usage());
        });
    }

    /** {@code finals}: the tasks no other task waits for, whose answers are the orchestrator's. */
    static Agent orchestrator(Orchestrator orchestrator, Function<String, List<Task>> plan, List<String> finals) {
        return blocking(orchestrator.name(), "orchestrator", query -> {
            OrchestratorResult result = orchestrator.run(plan.apply(query));
            StringBuilder text = new StringBuilder();
            for (String id : finals) {
                TaskResult task = result.task(id).orElseThrow();
                if (finals.size() > 1) {
                    text.append(text.isEmpty() ? "" : "\n\n")
                            .append("## ")
                            .append(id)
                            .append('\n');
                }
                text.append(
                        task.outcome().succeeded()
                                ? task.outcome().text()
                                : task.outcome().describe());
            }
            return new Answer(text.toString(), result.usage());
        });
    }

    /** {@code agent} as a tool named after it that runs it on {@code {"task": ...}}; the answer is the result. */
    static Tool agentTool(String name, String description, Supplier<Agent> agent) {
        var schema = Json.object()
                .add("type", "object")
                .add(
                        "properties",
                        Json.object()
                                .add(
                                        "task",
                                        Json.object()
                                                .add("type", "string")
                                                .add("description", "What the agent should do, in full")))
                .add("required", Json.array().add("task"))
                .build();
        return Tool.of(
                name.replace('-', '_'),
                description.isBlank() ? "Ask the agent " + name : description,
                schema,
                (input, context) -> {
                    Response response = agent.get().run(List.of(Message.user(Json.string(input, "task", ""))), context);
                    return response.stopReason() == StopReason.END_TURN
                                    && !response.text().isBlank()
                            ? ToolResult.ok(response.text())
                            : ToolResult.error("Agent '" + name + "' stopped ("
                                    + response.stopReason().wireName() + ") without an answer");
                });
    }

    private record Answer(String text, Usage usage) {}

    private static Agent blocking(String name, String type, Function<String, Answer> run) {
        AgentConfig config = AgentConfig.of(name, type);
        return new Agent() {
            @Override
            public AgentConfig config() {
                return config;
            }

            @Override
            public Response stream(List<Message> conversation, ToolContext context, Consumer<AgentEvent> events) {
                String query = conversation.reversed().stream()
                        .filter(m -> m.role() == Role.USER && !m.text().isBlank())
                        .map(Message::text)
                        .findFirst()
                        .orElse("");
                Answer answer = run.apply(query);
                events.accept(new AgentEvent.TextDelta(answer.text()));
                events.accept(new AgentEvent.Done(StopReason.END_TURN, answer.usage()));
                return new Response(
                        List.of(Message.assistant(answer.text()).withAgent(name)),
                        StopReason.END_TURN,
                        answer.usage(),
                        1);
            }
        };
    }
}
