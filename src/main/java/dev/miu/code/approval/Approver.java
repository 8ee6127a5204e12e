package dev.miu.code.approval;

/** Asks the user whether a tool call may run. Called from the agent's thread; it blocks until the user answers. */
@FunctionalInterface
public interface Approver {

    /**
     * Decides whether the tool call may run.
     *
     * @throws InterruptedException when the run is interrupted while waiting; the call is then refused
     */
    Decision decide(ApprovalRequest request) throws InterruptedException;

    /** For runs without a person to ask ({@code miu -q}): refuses every change, saying {@code reason}. */
    static Approver nobodyToAsk(String reason) {
        return request -> new Decision.Unasked(reason);
    }
}
