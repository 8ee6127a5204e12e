package dev.miu.studio.chat;

import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import jakarta.json.JsonObject;

/**
 * The outcome of one chat turn, as {@code POST /chat/invoke} answers it.
 *
 * @param agent            the agent the turn ran (the session's)
 * @param pendingApprovals the calls that wait for a person when it ended {@code awaiting_approval}, else null
 */
public record TurnResult(
        String sessionId,
        String response,
        int messageCount,
        Usage usage,
        StopReason stopReason,
        String agent,
        jakarta.json.JsonArray pendingApprovals) {

    public TurnResult(
            String sessionId, String response, int messageCount, Usage usage, StopReason stopReason, String agent) {
        this(sessionId, response, messageCount, usage, stopReason, agent, null);
    }

    public JsonObject toJson() {
        var o = dev.miu.core.json.Json.object()
                .add("session_id", sessionId)
                .add("response", response)
                .add("message_count", messageCount)
                .add("usage", ChatEvent.usageJson(usage))
                .add("stop_reason", stopReason.wireName())
                .add("agent", agent);
        if (pendingApprovals != null) {
            o.add("pending_approvals", pendingApprovals);
        }
        return o.build();
    }
}
