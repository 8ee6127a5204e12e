package dev.miu.core.pattern;

import dev.miu.core.agent.AgentEvent;

import java.util.ArrayList;
import java.util.List;

/** Short readable outlines of agent event streams, for asserting their order. */
final class EventLog {

    private EventLog() {}

    /**
     * One line per event, repeats collapsed (a streamed answer is one {@code text AGENT} line): {@code start A},
     * {@code text A}, {@code usage A}, {@code call A TOOL}, {@code result A TOOL OUTPUT}, {@code end A STOP},
     * {@code done STOP}; top-level events have no agent ({@code usage}, {@code text}).
     */
    static List<String> outline(List<AgentEvent> events) {
        List<String> lines = new ArrayList<>();
        for (AgentEvent event : events) {
            String line = line(event);
            if (lines.isEmpty() || !lines.getLast().equals(line)) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The text {@code agent} streamed (its nested text deltas joined). */
    static String text(List<AgentEvent> events, String agent) {
        var text = new StringBuilder();
        for (AgentEvent event : events) {
            if (event instanceof AgentEvent.Nested n
                    && n.agent().equals(agent)
                    && n.event() instanceof AgentEvent.TextDelta d) {
                text.append(d.text());
            }
        }
        return text.toString();
    }

    /** Where {@code line} first occurs in the outline of {@code events}, or -1. */
    static int indexOf(List<AgentEvent> events, String line) {
        return outline(events).indexOf(line);
    }

    private static String line(AgentEvent event) {
        return switch (event) {
            case AgentEvent.Nested n -> {
                String inner = line(n.event());
                int space = inner.indexOf(' ');
                yield space < 0
                        ? inner + " " + n.agent()
                        : inner.substring(0, space) + " " + n.agent() + inner.substring(space);
            }
            case AgentEvent.TextDelta d -> "text";
            case AgentEvent.UsageUpdate u -> "usage";
            case AgentEvent.ToolCall c -> "call " + c.name();
            case AgentEvent.ToolResult r -> "result " + r.name() + " " + (r.isError() ? "error" : r.output());
            case AgentEvent.AgentStart s -> "start " + s.agent();
            case AgentEvent.AgentEnd e ->
                "end " + e.agent() + " " + e.stopReason().wireName();
            case AgentEvent.Done d -> "done " + d.stopReason().wireName();
            case AgentEvent.ApprovalRequest a -> "approval " + a.name();
        };
    }
}
