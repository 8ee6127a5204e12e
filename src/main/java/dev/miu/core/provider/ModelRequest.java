package dev.miu.core.provider;

import dev.miu.core.message.Message;
import dev.miu.core.tool.ToolSpec;

import java.util.List;
import java.util.Objects;

/**
 * One call to a model: the conversation so far, the system prompt, the tools it may call and sampling limits.
 *
 * @param model       the provider's model name (without the {@code provider:} prefix)
 * @param system      system prompt, or {@code null}
 * @param temperature sampling temperature, or {@code null} for the provider's default
 */
public record ModelRequest(
        String model, String system, List<Message> messages, List<ToolSpec> tools, int maxTokens, Double temperature) {
    public ModelRequest {
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        if (maxTokens <= 0) {
            throw new IllegalArgumentException("maxTokens must be positive");
        }
    }
}
