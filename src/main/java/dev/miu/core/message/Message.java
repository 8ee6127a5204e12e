package dev.miu.core.message;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One turn of a conversation. Tool results travel in a user message, as in the Anthropic Messages API;
 * providers with another shape (OpenAI's {@code tool} role) translate at their edge.
 */
public record Message(Role role, List<ContentBlock> content) {

    public Message {
        Objects.requireNonNull(role, "role");
        content = List.copyOf(content);
    }

    public static Message user(String text) {
        return new Message(Role.USER, List.of(new ContentBlock.Text(text)));
    }

    public static Message assistant(String text) {
        return new Message(Role.ASSISTANT, List.of(new ContentBlock.Text(text)));
    }

    public static Message toolResults(List<ContentBlock.ToolResult> results) {
        return new Message(Role.USER, List.copyOf(results));
    }

    /** All text blocks joined; empty when there are none. */
    public String text() {
        return content.stream()
                .filter(ContentBlock.Text.class::isInstance)
                .map(b -> ((ContentBlock.Text) b).text())
                .collect(Collectors.joining());
    }

    public List<ContentBlock.ToolUse> toolUses() {
        return content.stream()
                .filter(ContentBlock.ToolUse.class::isInstance)
                .map(ContentBlock.ToolUse.class::cast)
                .toList();
    }

    public boolean hasToolResults() {
        return content.stream().anyMatch(ContentBlock.ToolResult.class::isInstance);
    }
}
