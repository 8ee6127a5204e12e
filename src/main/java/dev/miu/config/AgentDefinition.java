package dev.miu.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One agent as declared under {@code agents:} in app.yaml or in a file of the agents directory: a model with tools
 * ({@link Model}), or a composition of other declared agents ({@link Router}, {@link Pipeline},
 * {@link Orchestrator}). Records hold what the file says, checked field by field; references between agents, to MCP
 * servers, collections and providers are checked when the whole set is known ({@code dev.miu.agents}).
 */
public sealed interface AgentDefinition
        permits AgentDefinition.Model, AgentDefinition.Router, AgentDefinition.Pipeline, AgentDefinition.Orchestrator {

    /** Lower-case letters, digits and {@code -}, starting with a letter, at most 64 characters. */
    Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    /** The agent the {@code agent:} section defines, for set-ups without {@code agents:}. */
    String DEFAULT_NAME = "assistant";

    String name();

    /** What the agent is for: shown to people and to routers and models choosing it. */
    String description();

    /** The file it was declared in (app.yaml or an agent file), for messages; null when built in code. */
    Path source();

    /** {@code agent}, {@code router}, {@code pipeline} or {@code orchestrator}: the API's {@code type}. */
    String type();

    /** The declared agents this one runs (routes, stages, tasks, {@code agent:} tools), in order, without repeats. */
    List<String> uses();

    /**
     * A model with instructions and tools.
     *
     * @param model         {@code provider:model}, or null for the server's default model
     * @param instructions  the system prompt (inline, or read from {@code instructions-file}), or null
     * @param temperature   null for the provider's default
     */
    record Model(
            String name,
            String description,
            Path source,
            String model,
            String instructions,
            int maxIterations,
            int maxTokens,
            Double temperature,
            List<ToolRef> tools)
            implements AgentDefinition {
        public Model {
            Objects.requireNonNull(name, "name");
            description = description == null ? "" : description;
            tools = List.copyOf(tools);
        }

        @Override
        public String type() {
            return "agent";
        }

        @Override
        public List<String> uses() {
            return tools.stream()
                    .filter(t -> t instanceof ToolRef.AgentTool)
                    .map(t -> ((ToolRef.AgentTool) t).agent())
                    .distinct()
                    .toList();
        }
    }

    /**
     * Sends each message to one agent: routes with rules by priority, then the classifier model, then the default.
     *
     * @param classifierModel {@code provider:model} that picks a route by description when no rule matches, or null
     * @param defaultAgent    the agent answering when nothing else chose, or null (then such a message is refused)
     */
    record Router(
            String name,
            String description,
            Path source,
            List<RouteDefinition> routes,
            String classifierModel,
            String defaultAgent)
            implements AgentDefinition {
        public Router {
            Objects.requireNonNull(name, "name");
            description = description == null ? "" : description;
            routes = List.copyOf(routes);
        }

        @Override
        public String type() {
            return "router";
        }

        @Override
        public List<String> uses() {
            var names = new java.util.ArrayList<String>();
            routes.forEach(r -> names.add(r.agent()));
            if (defaultAgent != null) {
                names.add(defaultAgent);
            }
            return names.stream().distinct().toList();
        }
    }

    /**
     * A route of a {@link Router}.
     *
     * @param description what the route is for (the classifier reads it); the agent's description when not given
     * @param keywords    any of these words in the message chooses the route (case-insensitive); may be empty
     * @param regex       a pattern found in the message chooses the route, or null
     * @param priority    rules are tried from the highest priority down
     */
    record RouteDefinition(String agent, String description, List<String> keywords, String regex, int priority) {
        public RouteDefinition {
            Objects.requireNonNull(agent, "agent");
            keywords = List.copyOf(keywords);
        }
    }

    /** Runs its stages in order, each on the previous one's answer; the last answer is the pipeline's. */
    record Pipeline(String name, String description, Path source, List<String> stages) implements AgentDefinition {
        public Pipeline {
            Objects.requireNonNull(name, "name");
            description = description == null ? "" : description;
            stages = List.copyOf(stages);
        }

        @Override
        public String type() {
            return "pipeline";
        }

        @Override
        public List<String> uses() {
            return stages.stream().distinct().toList();
        }
    }

    /**
     * Runs tasks on agents, each once the tasks it depends on are done, independent ones in parallel; the answer is
     * the last task's (or, with several final tasks, their answers joined).
     *
     * @param maxParallel tasks running at once at most
     */
    record Orchestrator(String name, String description, Path source, List<TaskDefinition> tasks, int maxParallel)
            implements AgentDefinition {
        public Orchestrator {
            Objects.requireNonNull(name, "name");
            description = description == null ? "" : description;
            tasks = List.copyOf(tasks);
        }

        @Override
        public String type() {
            return "orchestrator";
        }

        @Override
        public List<String> uses() {
            return tasks.stream().map(TaskDefinition::agent).distinct().toList();
        }
    }

    /**
     * A task of an {@link Orchestrator}.
     *
     * @param id        unique within the orchestrator
     * @param prompt    what the task asks; the user's message and the answers of {@code dependsOn} are added
     * @param dependsOn ids of the tasks whose answers it needs
     */
    record TaskDefinition(String id, String agent, String prompt, List<String> dependsOn) {
        public TaskDefinition {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(agent, "agent");
            prompt = prompt == null ? "" : prompt;
            dependsOn = List.copyOf(dependsOn);
        }
    }
}
