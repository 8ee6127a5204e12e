package dev.miu.core.memory;

import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;

import java.util.List;

/**
 * Trims the oldest turns of a conversation to fit a token budget. It only cuts where a user message that
 * carries no tool results begins: so a tool_use and its tool_result always stay together, and the kept part
 * still starts with a user message, as providers require. The newest turn is always kept, even when it alone
 * exceeds the budget. Token counts are estimated (about four characters a token), which is enough to stay clear
 * of the limit without a tokenizer per model.
 */
public record ContextWindow(long maxTokens) {

    /** No trimming: every message is sent. */
    public static final ContextWindow UNLIMITED = new ContextWindow(Long.MAX_VALUE);

    public ContextWindow {
        if (maxTokens <= 0) {
            throw new IllegalArgumentException("maxTokens must be positive");
        }
    }

    public List<Message> fit(List<Message> messages) {
        if (maxTokens == Long.MAX_VALUE) {
            return messages;
        }
        long total = 0;
        long[] suffix = new long[messages.size() + 1];
        for (int i = messages.size() - 1; i >= 0; i--) {
            total += estimateTokens(messages.get(i));
            suffix[i] = total;
        }
        int lastCut = -1;
        for (int i = 0; i < messages.size(); i++) {
            if (isCutPoint(messages.get(i))) {
                lastCut = i;
                if (suffix[i] <= maxTokens) {
                    return messages.subList(i, messages.size());
                }
            }
        }
        // Nothing fits: keep from the newest safe cut point, which holds the current turn.
        return lastCut <= 0 ? messages : messages.subList(lastCut, messages.size());
    }

    static boolean isCutPoint(Message m) {
        return m.role() == Role.USER && !m.hasToolResults();
    }

    public static long estimateTokens(Message m) {
        long chars = 0;
        for (ContentBlock b : m.content()) {
            chars += switch (b) {
                case ContentBlock.Text t -> t.text().length();
                case ContentBlock.ToolUse u ->
                    u.name().length() + u.input().toString().length();
                case ContentBlock.ToolResult r -> r.content().length();
            };
        }
        return 4 + chars / 4;
    }
}
