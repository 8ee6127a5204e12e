package dev.miu.core.agent;

import dev.miu.core.message.ContentBlock;

import java.util.Set;

/**
 * Which tool calls wait for a person's approval before they run. Asked once per call, when the model has asked for
 * it; a {@link ReActAgent} whose policy says yes for some call pauses with
 * {@link dev.miu.core.message.StopReason#AWAITING_APPROVAL} instead of running it.
 */
@FunctionalInterface
public interface ApprovalPolicy {

    /** Every call runs unasked: the default. */
    ApprovalPolicy NEVER = call -> false;

    /** Every call waits. */
    ApprovalPolicy ALWAYS = call -> true;

    /** Whether {@code call} waits for approval. */
    boolean requires(ContentBlock.ToolUse call);

    /** The calls of the tools named {@code names} wait; the others run. */
    static ApprovalPolicy forTools(Set<String> names) {
        Set<String> copy = Set.copyOf(names);
        return call -> copy.contains(call.name());
    }

    static ApprovalPolicy forTools(String... names) {
        return forTools(Set.of(names));
    }
}
