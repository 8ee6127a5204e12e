package dev.miu.core.pattern;

import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.Response;
import dev.miu.core.message.Message;
import dev.miu.core.tool.ToolContext;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A pattern hosted as an agent ({@code Router.asAgent()} and the others): its name, with the pattern's type as the
 * config's model (informational; a pattern has no model of its own), and its streaming run.
 */
record PatternAgent(AgentConfig config, Run run) implements Agent {

    /** The pattern's streaming run, as {@link Agent#stream}. */
    @FunctionalInterface
    interface Run {
        Response stream(List<Message> conversation, ToolContext context, Consumer<AgentEvent> events);
    }

    PatternAgent {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(run, "run");
    }

    static PatternAgent of(String name, String type, Run run) {
        return new PatternAgent(AgentConfig.of(name, type), run);
    }

    @Override
    public Response stream(List<Message> conversation, ToolContext context, Consumer<AgentEvent> events) {
        return run.stream(conversation, context, events);
    }
}
