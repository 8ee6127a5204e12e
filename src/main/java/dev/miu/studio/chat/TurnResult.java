package dev.miu.studio.chat;

import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import jakarta.json.JsonObject;

/**
 * The outcome of one chat turn, as {@code POST /chat/invoke} answers it.
 *
 * @param agent the agent the turn ran (the session's)
 */
public record TurnResult(
        String sessionId, String response, int messageCount, Usage usage, StopReason stopReason, String agent) {

    public JsonObject toJson() {
        return dev.miu.core.json.Json.object()
                .add("session_id", sessionId)
                .add("response", response)
                .add("message_count", messageCount)
                .add("usage", ChatEvent.usageJson(usage))
                .add("stop_reason", stopReason.wireName())
                .add("agent", agent)
                .build();
    }
}
