package dev.miu.core.pattern;

import dev.miu.core.agent.Agent;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A destination of a {@link Router}: the agent that answers, when it applies, and how it ranks.
 *
 * @param description what the route is for; shown to the classifier model
 * @param rule        when it applies; {@code null} for a route only the classifier (or the default) can choose
 * @param priority    rules are tried from the highest priority down; equal priorities keep the order added
 */
public record Route(String name, String description, Agent agent, RouteRule rule, int priority) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    public Route {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new PatternException("Route name '" + name + "' must be letters, digits, '_', '-' or '.'");
        }
        Objects.requireNonNull(agent, "agent");
        description = description == null || description.isBlank() ? name : description.strip();
    }
}
