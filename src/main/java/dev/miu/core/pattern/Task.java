package dev.miu.core.pattern;

import dev.miu.core.agent.Response;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One node of an {@link Orchestrator}'s graph: which agent answers, what it is asked, and which tasks must
 * succeed first. The query is built when the task starts, from the responses of its dependencies.
 *
 * @param id        unique within one run; letters, digits, {@code _}, {@code -} and {@code .}
 * @param agent     the name the agent was registered under
 * @param query     builds the question from the dependencies' responses (keyed by task id, in {@code dependsOn} order)
 * @param dependsOn ids of the tasks whose success this one needs
 */
public record Task(String id, String agent, Function<Map<String, Response>, String> query, List<String> dependsOn) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");

    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(query, "query");
        if (!ID.matcher(id).matches()) {
            throw new PatternException("Task id '" + id + "' must be letters, digits, '_', '-' or '.'");
        }
        dependsOn = List.copyOf(dependsOn);
        if (dependsOn.contains(id)) {
            throw new PatternException("Task '" + id + "' depends on itself");
        }
    }

    /** A task asking a fixed question. */
    public static Task of(String id, String agent, String query, String... dependsOn) {
        Objects.requireNonNull(query, "query");
        return new Task(id, agent, results -> query, List.of(dependsOn));
    }

    /** A task whose question is built from its dependencies' responses. */
    public static Task from(
            String id, String agent, Function<Map<String, Response>, String> query, String... dependsOn) {
        return new Task(id, agent, query, List.of(dependsOn));
    }

    /**
     * A task asking {@code instruction} followed by the answers of its dependencies, each under its task id:
     * the usual way to hand earlier work to a later agent.
     */
    public static Task withResults(String id, String agent, String instruction, String... dependsOn) {
        Objects.requireNonNull(instruction, "instruction");
        return new Task(
                id,
                agent,
                results -> {
                    var query = new StringBuilder(instruction);
                    results.forEach((dep, response) -> query.append("\n\n## Result of ")
                            .append(dep)
                            .append("\n")
                            .append(response.text()));
                    return query.toString();
                },
                List.of(dependsOn));
    }
}
