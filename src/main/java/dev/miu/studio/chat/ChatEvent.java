package dev.miu.studio.chat;

import dev.miu.core.json.Json;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * What a chat turn reports to SSE and WebSocket clients, in order: text chunks, tool calls and results, usage per
 * model call, then one {@link Done} (after the session is saved) or one {@link Error}. The JSON form is
 * {@code {"type": ..., ...}} as the original miu studio sent it.
 * <p>
 * A composite agent's sub-agents (router targets, pipeline stages, orchestrator tasks, agents called as tools) are
 * framed by {@link AgentStart} and {@link AgentEnd}, and their chunks, tool calls, results and usage carry
 * {@code "agent"}: the sub-agent speaking. The session's own agent's events have no {@code agent} field, so clients
 * written before agents see what they always saw.
 */
public sealed interface ChatEvent {

    JsonObject toJson();

    /** A piece of the answer text; {@code agent} is the sub-agent writing it, or null for the session's agent. */
    record Chunk(String content, String agent) implements ChatEvent {
        public Chunk(String content) {
            this(content, null);
        }

        @Override
        public JsonObject toJson() {
            return speaker(Json.object().add("type", "chunk").add("content", content), agent);
        }
    }

    /** The model called a tool, which is about to run. */
    record ToolCall(String id, String name, JsonObject input, String agent) implements ChatEvent {
        public ToolCall(String id, String name, JsonObject input) {
            this(id, name, input, null);
        }

        @Override
        public JsonObject toJson() {
            return speaker(
                    Json.object()
                            .add("type", "tool_call")
                            .add("id", id)
                            .add("name", name)
                            .add("input", input),
                    agent);
        }
    }

    /** A tool finished; {@code isError} says the output describes a failure. */
    record ToolResult(String id, String name, String output, boolean isError, String agent) implements ChatEvent {
        public ToolResult(String id, String name, String output, boolean isError) {
            this(id, name, output, isError, null);
        }

        @Override
        public JsonObject toJson() {
            return speaker(
                    Json.object()
                            .add("type", "tool_result")
                            .add("id", id)
                            .add("name", name)
                            .add("output", output)
                            .add("is_error", isError),
                    agent);
        }
    }

    /** Tokens one model call used. */
    record UsageUpdate(Usage usage, String agent) implements ChatEvent {
        public UsageUpdate(Usage usage) {
            this(usage, null);
        }

        @Override
        public JsonObject toJson() {
            return speaker(Json.object().add("type", "usage").add("usage", usageJson(usage)), agent);
        }
    }

    /** The sub-agent {@code agent} starts working; its events follow, then one {@link AgentEnd}. */
    record AgentStart(String agent) implements ChatEvent {
        @Override
        public JsonObject toJson() {
            return Json.object().add("type", "agent_start").add("agent", agent).build();
        }
    }

    /** The sub-agent {@code agent} finished, and why. */
    record AgentEnd(String agent, StopReason stopReason) implements ChatEvent {
        @Override
        public JsonObject toJson() {
            return Json.object()
                    .add("type", "agent_end")
                    .add("agent", agent)
                    .add("stop_reason", stopReason.wireName())
                    .build();
        }
    }

    /** A tool call waits for a person's decision ({@code agent} is the agent that asked for it). */
    record ApprovalRequest(
            String approvalId, String toolCallId, String agent, String name, JsonObject input, String diff)
            implements ChatEvent {
        @Override
        public JsonObject toJson() {
            var o = Json.object()
                    .add("type", "approval_request")
                    .add("approval_id", approvalId)
                    .add("tool_call_id", toolCallId)
                    .add("agent", agent == null ? jakarta.json.JsonValue.NULL : Json.string(agent))
                    .add("name", name)
                    .add("input", input);
            if (diff != null) {
                o.add("diff", diff); // what a Write or Edit would change
            }
            return o.build();
        }
    }

    /** A decision sent over the WebSocket is stored; {@code pending} are the calls of the turn that still wait. */
    record ApprovalRecorded(String approvalId, jakarta.json.JsonArray pending) implements ChatEvent {
        @Override
        public JsonObject toJson() {
            return Json.object()
                    .add("type", "approval_recorded")
                    .add("approval_id", approvalId)
                    .add("pending_approvals", pending)
                    .build();
        }
    }

    /**
     * The turn ended and is stored: why it ended, the tokens of the whole turn, and the session's message count;
     * when it ended {@code awaiting_approval}, the calls that wait ({@code pending_approvals}, else null).
     */
    record Done(StopReason stopReason, Usage usage, int messageCount, jakarta.json.JsonArray pendingApprovals)
            implements ChatEvent {
        public Done(StopReason stopReason, Usage usage, int messageCount) {
            this(stopReason, usage, messageCount, null);
        }

        @Override
        public JsonObject toJson() {
            var o = Json.object()
                    .add("type", "done")
                    .add("stop_reason", stopReason.wireName())
                    .add("usage", usageJson(usage))
                    .add("message_count", messageCount);
            if (pendingApprovals != null) {
                o.add("pending_approvals", pendingApprovals);
            }
            return o.build();
        }
    }

    /**
     * The turn could not run or failed; {@code detail} says why, as an HTTP error body would. The same text is
     * also sent as {@code content}, where the original miu's browser client reads it.
     */
    @SuppressWarnings("AvoidCommonTypeNames") // the wire event is "error"; ChatEvent.Error is always qualified
    record Error(String detail) implements ChatEvent {
        @Override
        public JsonObject toJson() {
            return Json.object()
                    .add("type", "error")
                    .add("detail", detail)
                    .add("content", detail)
                    .build();
        }
    }

    /** {@code event} with {@code "agent"} when a sub-agent is speaking. */
    private static JsonObject speaker(JsonObjectBuilder event, String agent) {
        return agent == null ? event.build() : event.add("agent", agent).build();
    }

    /** One usage shape everywhere: chat events, chat responses and stored sessions. */
    static JsonObject usageJson(Usage usage) {
        return dev.miu.studio.session.SessionJson.usageJson(usage);
    }
}
