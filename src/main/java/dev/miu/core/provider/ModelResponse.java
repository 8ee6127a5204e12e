package dev.miu.core.provider;

import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;

import java.util.List;

/** What one model call produced: the assistant message's blocks, why it stopped, and its usage. */
public record ModelResponse(String model, List<ContentBlock> content, StopReason stopReason, Usage usage) {
    public ModelResponse {
        content = List.copyOf(content);
    }

    public Message message() {
        return new Message(Role.ASSISTANT, content);
    }

    public String text() {
        return message().text();
    }

    public List<ContentBlock.ToolUse> toolUses() {
        return message().toolUses();
    }
}
