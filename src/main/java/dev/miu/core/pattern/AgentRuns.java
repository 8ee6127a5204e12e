package dev.miu.core.pattern;

import dev.miu.core.agent.Agent;
import dev.miu.core.agent.Response;
import dev.miu.core.message.ContentBlock;

/** What a pattern makes of one agent call's response, and of a failure's message. */
final class AgentRuns {

    private AgentRuns() {}

    /**
     * A response that ended without an answer (cancelled, out of iterations, paused for a person's approval, which a
     * pipeline step, an orchestrator task or an agent tool cannot wait for) is not a success.
     */
    static Outcome outcome(Agent agent, Response response) {
        return switch (response.stopReason()) {
            case CANCELLED -> new Outcome.Cancelled("the agent run was interrupted");
            case MAX_ITERATIONS ->
                new Outcome.Failed("agent '" + agent.config().name() + "' stopped after " + response.iterations()
                        + " model calls without a final answer");
            case AWAITING_APPROVAL ->
                new Outcome.Failed("agent '" + agent.config().name() + "' needs a person's approval to run "
                        + String.join(
                                ", ",
                                response.pending().waiting().stream()
                                        .map(ContentBlock.ToolUse::name)
                                        .distinct()
                                        .toList())
                        + ", which it cannot wait for here; give the tool 'approval: never' in its definition, or ask"
                        + " that agent directly");
            default -> new Outcome.Succeeded(response);
        };
    }

    static String message(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }
}
