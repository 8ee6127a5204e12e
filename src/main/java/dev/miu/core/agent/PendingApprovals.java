package dev.miu.core.agent;

import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.MessageJson;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.List;

/**
 * A run paused for approval, as plain data a session store can keep: the tool calls that wait ({@code waiting}) and
 * the results of those of the same model message that ran already ({@code done}). The assistant message with all the
 * calls is the last message of the paused run; no tool-results message follows it yet.
 *
 * @param agent the sub-agent that paused when a composition passes its pause on (a router hands the conversation to
 *              one agent, so that agent resumes it), or null when the run's own agent paused
 */
public record PendingApprovals(List<ContentBlock.ToolUse> waiting, List<ContentBlock.ToolResult> done, String agent) {

    /** Nothing waits: a run that did not pause. */
    public static final PendingApprovals NONE = new PendingApprovals(List.of(), List.of());

    public PendingApprovals {
        waiting = List.copyOf(waiting);
        done = List.copyOf(done);
    }

    /** The calls of the run's own agent. */
    public PendingApprovals(List<ContentBlock.ToolUse> waiting, List<ContentBlock.ToolResult> done) {
        this(waiting, done, null);
    }

    /** The same calls, paused by the sub-agent {@code agent} (the one to resume); kept when one is named already. */
    public PendingApprovals pausedBy(String agent) {
        return this.agent != null ? this : new PendingApprovals(waiting, done, agent);
    }

    public boolean isEmpty() {
        return waiting.isEmpty();
    }

    /**
     * {@code {"waiting": [tool_use blocks], "done": [tool_result blocks], "agent": NAME}}, the blocks as
     * {@link MessageJson} writes them; {@code agent} only when a sub-agent paused.
     */
    public JsonObject toJson() {
        var w = Json.array();
        waiting.forEach(u -> w.add(MessageJson.toJson(u)));
        var d = Json.array();
        done.forEach(r -> d.add(MessageJson.toJson(r)));
        var json = Json.object().add("waiting", w).add("done", d);
        if (agent != null) {
            json.add("agent", agent);
        }
        return json.build();
    }

    /** Reads {@link #toJson}'s form; a malformed one is an {@link IllegalArgumentException} naming what is wrong. */
    public static PendingApprovals fromJson(JsonObject json) {
        if (json.containsKey("agent") && !(json.get("agent") instanceof JsonString)) {
            throw new IllegalArgumentException("Pending approvals: 'agent' must be a string");
        }
        return new PendingApprovals(
                blocks(json, "waiting", ContentBlock.ToolUse.class),
                blocks(json, "done", ContentBlock.ToolResult.class),
                json.containsKey("agent") ? json.getString("agent") : null);
    }

    private static <T extends ContentBlock> List<T> blocks(JsonObject json, String key, Class<T> type) {
        if (!(json.get(key) instanceof JsonArray array)) {
            throw new IllegalArgumentException("Pending approvals need an array '" + key + "'");
        }
        return array.stream().map(v -> block(v, key, type)).toList();
    }

    private static <T extends ContentBlock> T block(JsonValue v, String key, Class<T> type) {
        if (v instanceof JsonObject o && MessageJson.blockFromJson(o) instanceof ContentBlock b && type.isInstance(b)) {
            return type.cast(b);
        }
        throw new IllegalArgumentException("Pending approvals: '" + key + "' holds something other than "
                + (type == ContentBlock.ToolUse.class ? "tool_use" : "tool_result") + " blocks");
    }
}
