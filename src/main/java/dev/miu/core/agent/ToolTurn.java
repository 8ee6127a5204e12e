package dev.miu.core.agent;

import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one assistant message's tool calls get answered: {@code calls} in the model's order, the results already
 * {@code known} (they ran before a pause, or were denied), the calls {@code toRun} now, and those {@code waiting}
 * for approval.
 */
record ToolTurn(
        List<ContentBlock.ToolUse> calls,
        Map<String, ContentBlock.ToolResult> known,
        List<ContentBlock.ToolUse> toRun,
        List<ContentBlock.ToolUse> waiting) {

    /** A new model message: the calls the policy lets run unasked run; the others wait. */
    static ToolTurn fresh(List<ContentBlock.ToolUse> calls, ApprovalPolicy policy) {
        List<ContentBlock.ToolUse> toRun = new ArrayList<>();
        List<ContentBlock.ToolUse> waiting = new ArrayList<>();
        for (ContentBlock.ToolUse call : calls) {
            (policy.requires(call) ? waiting : toRun).add(call);
        }
        return new ToolTurn(calls, Map.of(), toRun, waiting);
    }

    /** A paused model message (the last of {@code conversation}) with its decisions: approved calls run. */
    static ToolTurn resumed(
            List<Message> conversation, PendingApprovals pending, Map<String, ApprovalDecision> decisions) {
        if (pending.isEmpty()) {
            throw new IllegalArgumentException("Nothing waits for approval, so there is nothing to resume");
        }
        List<ContentBlock.ToolUse> calls =
                conversation.isEmpty() || conversation.getLast().role() != Role.ASSISTANT
                        ? List.of()
                        : conversation.getLast().toolUses();
        Set<String> pendingIds = new HashSet<>();
        pending.waiting().forEach(u -> pendingIds.add(u.id()));
        pending.done().forEach(r -> pendingIds.add(r.toolUseId()));
        Set<String> callIds = new HashSet<>();
        calls.forEach(u -> callIds.add(u.id()));
        if (!callIds.equals(pendingIds) || calls.size() != pendingIds.size()) {
            throw new IllegalArgumentException(
                    "The conversation must end with the assistant message whose tool calls are pending");
        }
        Set<String> waitingIds = new HashSet<>();
        pending.waiting().forEach(u -> waitingIds.add(u.id()));
        for (String id : decisions.keySet()) {
            if (!waitingIds.contains(id)) {
                throw new IllegalArgumentException("A decision names tool call '" + id + "', which does not wait for "
                        + "approval (waiting: " + String.join(", ", ids(pending.waiting())) + ")");
            }
        }
        Map<String, ContentBlock.ToolResult> known = new LinkedHashMap<>();
        pending.done().forEach(r -> known.put(r.toolUseId(), r));
        List<ContentBlock.ToolUse> toRun = new ArrayList<>();
        for (ContentBlock.ToolUse call : pending.waiting()) {
            ApprovalDecision decision = decisions.get(call.id());
            if (decision == null) {
                throw new IllegalArgumentException("No decision for tool call '" + call.id() + "' (" + call.name()
                        + "), which waits for approval");
            }
            ContentBlock.ToolResult refused = ApprovalDecision.resultOf(call, decision);
            if (refused == null) {
                toRun.add(call);
            } else {
                known.put(call.id(), refused);
            }
        }
        return new ToolTurn(calls, known, toRun, List.of());
    }

    /** What waits once {@code ran} (the results of {@link #toRun}, in order) are in; empty when nothing does. */
    PendingApprovals pending(List<ContentBlock.ToolResult> ran) {
        if (waiting.isEmpty()) {
            return PendingApprovals.NONE;
        }
        Set<String> waitingIds = new HashSet<>(ids(waiting));
        return new PendingApprovals(
                waiting,
                results(ran).stream()
                        .filter(r -> !waitingIds.contains(r.toolUseId()))
                        .toList());
    }

    /** Every result there is (known ones and {@code ran}), in the model's order of the calls. */
    List<ContentBlock.ToolResult> results(List<ContentBlock.ToolResult> ran) {
        Map<String, ContentBlock.ToolResult> all = new LinkedHashMap<>(known);
        ran.forEach(r -> all.put(r.toolUseId(), r));
        return calls.stream()
                .map(c -> all.get(c.id()))
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    private static List<String> ids(List<ContentBlock.ToolUse> calls) {
        return calls.stream().map(ContentBlock.ToolUse::id).toList();
    }
}
