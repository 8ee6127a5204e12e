package dev.miu.core.agent;

import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;

import java.util.List;

/**
 * The outcome of an agent run.
 *
 * @param messages   the messages the run added after the input: assistant turns and tool results, in order,
 *                   ready to be appended to a stored conversation
 * @param usage      tokens summed over every model call of the run
 * @param iterations how many model calls the run made
 * @param pending    what waits for approval when {@code stopReason} is {@link StopReason#AWAITING_APPROVAL}
 *                   (continue with {@link ReActAgent#resume}); {@link PendingApprovals#NONE} otherwise
 */
public record Response(
        List<Message> messages, StopReason stopReason, Usage usage, int iterations, PendingApprovals pending) {

    public Response {
        messages = List.copyOf(messages);
        java.util.Objects.requireNonNull(pending, "pending");
        if ((stopReason == StopReason.AWAITING_APPROVAL) == pending.isEmpty()) {
            throw new IllegalArgumentException(
                    "A run awaits approval exactly when some tool calls are pending (" + stopReason + ")");
        }
    }

    /** A run that did not pause. */
    public Response(List<Message> messages, StopReason stopReason, Usage usage, int iterations) {
        this(messages, stopReason, usage, iterations, PendingApprovals.NONE);
    }

    /** The final answer: the text of the last assistant message. */
    public String text() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.ASSISTANT) {
                return messages.get(i).text();
            }
        }
        return "";
    }
}
