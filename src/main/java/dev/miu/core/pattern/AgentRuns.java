package dev.miu.core.pattern;

import dev.miu.core.agent.Agent;
import dev.miu.core.agent.Response;

/** What a pattern makes of one agent call's response, and of a failure's message. */
final class AgentRuns {

    private AgentRuns() {}

    /** A response that ended without an answer (cancelled, out of iterations) is not a success. */
    static Outcome outcome(Agent agent, Response response) {
        return switch (response.stopReason()) {
            case CANCELLED -> new Outcome.Cancelled("the agent run was interrupted");
            case MAX_ITERATIONS ->
                new Outcome.Failed("agent '" + agent.config().name() + "' stopped after " + response.iterations()
                        + " model calls without a final answer");
            default -> new Outcome.Succeeded(response);
        };
    }

    static String message(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }
}
