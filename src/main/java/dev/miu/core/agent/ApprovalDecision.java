package dev.miu.core.agent;

import dev.miu.core.message.ContentBlock;

import java.util.Objects;

/** What was decided about one tool call that waited for approval; see {@link ReActAgent#resume}. */
public sealed interface ApprovalDecision {

    static ApprovalDecision approve() {
        return new Approve();
    }

    static ApprovalDecision deny(String reason) {
        return new Deny(reason);
    }

    /** Run the call. */
    record Approve() implements ApprovalDecision {}

    /** The person said no; {@code reason} (possibly empty) goes back to the model in the call's error result. */
    record Deny(String reason) implements ApprovalDecision {
        public Deny {
            reason = reason == null ? "" : reason.strip();
        }
    }

    /**
     * Not run, and no person said no (nobody could be asked, as in {@code miu -q}): the model gets {@code message}
     * as the call's error result, so it does not think the user refused.
     */
    record Refuse(String message) implements ApprovalDecision {
        public Refuse {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The error result a call that is not run gets; null for {@link Approve}. */
    static ContentBlock.ToolResult resultOf(ContentBlock.ToolUse call, ApprovalDecision decision) {
        return switch (decision) {
            case Approve a -> null;
            case Deny d ->
                new ContentBlock.ToolResult(
                        call.id(),
                        "The user denied this " + call.name() + " call"
                                + (d.reason().isEmpty() ? "." : ": " + d.reason()),
                        true);
            case Refuse r -> new ContentBlock.ToolResult(call.id(), r.message(), true);
        };
    }
}
