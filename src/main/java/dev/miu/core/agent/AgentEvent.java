package dev.miu.core.agent;

import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.tool.ToolEvent;
import jakarta.json.JsonObject;

/**
 * What a streaming agent run reports, in order. This is a public contract (the studio's SSE and WebSocket
 * events mirror it), so it stays small: text as it streams, each tool call and its result, the usage of each
 * model call, and one {@link Done} at the end. A tool may report them too (an agent run as a tool passes on its
 * sub-agent's events through {@link dev.miu.core.tool.ToolContext#events()}).
 */
public sealed interface AgentEvent extends ToolEvent {

    /** A piece of the model's answer text. */
    record TextDelta(String text) implements AgentEvent {}

    /** The model called a tool; it is about to run. */
    record ToolCall(String id, String name, JsonObject input) implements AgentEvent {}

    /** A tool finished. {@code isError} says the output describes a failure. */
    record ToolResult(String id, String name, String output, boolean isError) implements AgentEvent {}

    /**
     * The model called a tool that waits for a person's approval: it has not run. The run ends with
     * {@link dev.miu.core.message.StopReason#AWAITING_APPROVAL} once the calls that need none have run.
     */
    record ApprovalRequest(String toolCallId, String name, JsonObject input) implements AgentEvent {}

    /** Tokens one model call used. */
    record UsageUpdate(Usage usage) implements AgentEvent {}

    /** The run ended: why, and the usage summed over all its model calls. */
    record Done(StopReason stopReason, Usage totalUsage) implements AgentEvent {}

    /**
     * A sub-agent (a router's target, a pipeline stage, an orchestrator task, an agent called as a tool) starts
     * working. Its events follow as {@link Nested}, then one {@link AgentEnd}.
     */
    record AgentStart(String agent) implements AgentEvent {}

    /** The sub-agent {@code agent} finished, and why. */
    record AgentEnd(String agent, StopReason stopReason) implements AgentEvent {}

    /**
     * An event of the sub-agent {@code agent}'s run. A composition passes on events that are already nested as they
     * are, so {@code agent} is always the agent that is speaking. Never wraps {@link Done}.
     */
    record Nested(String agent, AgentEvent event) implements AgentEvent {}
}
