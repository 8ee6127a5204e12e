package dev.miu.code.approval;

/** The user's answer to an {@link ApprovalRequest}. */
public sealed interface Decision {

    /** Run this call. */
    record Allow() implements Decision {}

    /** Run this call and every later call of the same tool in this session without asking. */
    record AllowAlways() implements Decision {}

    /**
     * Not run because nobody can be asked ({@code miu -q}); {@code reason} says why and what would allow it, and goes
     * back to the model (which must not think the user said no).
     */
    record Unasked(String reason) implements Decision {
        public Unasked {
            java.util.Objects.requireNonNull(reason, "reason");
        }
    }

    /** Do not run it; {@code reason} (possibly empty) goes back to the model. */
    record Deny(String reason) implements Decision {
        public Deny {
            reason = reason == null ? "" : reason.strip();
        }
    }
}
