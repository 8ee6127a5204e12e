package dev.miu.code.approval;

/** The user's answer to an {@link ApprovalRequest}. */
public sealed interface Decision {

    /** Run this call. */
    record Allow() implements Decision {
    }

    /** Run this call and every later call of the same tool in this session without asking. */
    record AllowAlways() implements Decision {
    }

    /** Do not run it; {@code reason} (possibly empty) goes back to the model. */
    record Deny(String reason) implements Decision {
        public Deny {
            reason = reason == null ? "" : reason.strip();
        }
    }
}
