package dev.miu.core.message;

/** Why a model turn, or a whole agent run, ended. */
public enum StopReason {
    /** The model finished its answer. */
    END_TURN,
    /** The model wants tools run before it continues. */
    TOOL_USE,
    /** The output hit the max-tokens limit. */
    MAX_TOKENS,
    /** A stop sequence was produced. */
    STOP_SEQUENCE,
    /** The provider declined to answer (safety filter, refusal). */
    REFUSAL,
    /** The agent loop ran out of iterations while the model still wanted tools. */
    MAX_ITERATIONS,
    /** The caller cancelled the run. */
    CANCELLED,
    /**
     * The run paused: the model asked for tool calls that wait for a person's approval (see
     * {@link dev.miu.core.agent.PendingApprovals}); it goes on with {@code ReActAgent.resume}.
     */
    AWAITING_APPROVAL,
    /** The run failed (a sub-agent's provider error, a composition whose steps did not all succeed). */
    ERROR;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
