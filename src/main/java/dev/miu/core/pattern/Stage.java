package dev.miu.core.pattern;

import dev.miu.core.agent.Agent;
import dev.miu.core.agent.Response;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * One step of a {@link Pipeline}.
 *
 * @param transform builds this stage's query from (the pipeline's initial query, the previous successful stage's
 *                  response, or {@code null} for the first stage); {@code null} means "the previous answer, or the
 *                  initial query for the first stage"
 */
public record Stage(String name, Agent agent, BiFunction<String, Response, String> transform) {

    public Stage {
        if (name == null || name.isBlank()) {
            throw new PatternException("A pipeline stage needs a name");
        }
        Objects.requireNonNull(agent, "agent");
    }

    public static Stage of(String name, Agent agent) {
        return new Stage(name, agent, null);
    }

    public static Stage of(String name, Agent agent, BiFunction<String, Response, String> transform) {
        return new Stage(name, agent, transform);
    }

    String query(String initial, Response previous) {
        if (transform != null) {
            return transform.apply(initial, previous);
        }
        return previous == null ? initial : previous.text();
    }
}
