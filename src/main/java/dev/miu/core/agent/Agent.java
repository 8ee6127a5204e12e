package dev.miu.core.agent;

import dev.miu.core.message.Message;
import dev.miu.core.tool.ToolContext;

import java.util.List;
import java.util.function.Consumer;

/** Something that answers a conversation, possibly calling tools along the way. */
public interface Agent {

    AgentConfig config();

    /**
     * Runs on {@code conversation} (whose last message is the user's new input), reporting progress to
     * {@code events} as it happens and ending with one {@link AgentEvent.Done}.
     */
    Response stream(List<Message> conversation, ToolContext context, Consumer<AgentEvent> events);

    /** The blocking twin of {@link #stream}: the same run, with its events discarded. */
    default Response run(List<Message> conversation, ToolContext context) {
        return stream(conversation, context, e -> {});
    }

    default Response run(String input) {
        return run(List.of(Message.user(input)), ToolContext.current());
    }

    default Response stream(String input, Consumer<AgentEvent> events) {
        return stream(List.of(Message.user(input)), ToolContext.current(), events);
    }
}
