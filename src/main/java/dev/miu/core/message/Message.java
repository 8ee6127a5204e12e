package dev.miu.core.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One turn of a conversation. Tool results travel in a user message, as in the Anthropic Messages API;
 * providers with another shape (OpenAI's {@code tool} role) translate at their edge.
 *
 * @param agent the declared agent that produced it (a composition's sub-agent), or null; kept with the session,
 *              never sent to a provider
 */
public record Message(Role role, List<ContentBlock> content, String agent) {

    public Message {
        Objects.requireNonNull(role, "role");
        content = List.copyOf(content);
    }

    public Message(Role role, List<ContentBlock> content) {
        this(role, content, null);
    }

    /** This message, produced by {@code agent}. */
    public Message withAgent(String agent) {
        return new Message(role, content, agent);
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

    /** All text blocks joined; empty when there are none. Loops, not streams: asked of every message, every turn. */
    public String text() {
        String only = null;
        StringBuilder joined = null;
        for (ContentBlock block : content) {
            if (block instanceof ContentBlock.Text t) {
                if (only == null) {
                    only = t.text();
                } else {
                    if (joined == null) {
                        joined = new StringBuilder(only);
                    }
                    joined.append(t.text());
                }
            }
        }
        return joined != null ? joined.toString() : only == null ? "" : only;
    }

    public List<ContentBlock.ToolUse> toolUses() {
        List<ContentBlock.ToolUse> uses = null;
        for (ContentBlock block : content) {
            if (block instanceof ContentBlock.ToolUse use) {
                if (uses == null) {
                    uses = new ArrayList<>(2);
                }
                uses.add(use);
            }
        }
        return uses == null ? List.of() : List.copyOf(uses);
    }

    public boolean hasToolResults() {
        for (ContentBlock block : content) {
            if (block instanceof ContentBlock.ToolResult) {
                return true;
            }
        }
        return false;
    }
}
