package dev.miu.core.pattern;

import dev.miu.core.agent.Agent;
import dev.miu.core.agent.Response;

import java.util.function.Supplier;

/** Runs one agent call for a pattern and turns whatever happens into an {@link Outcome}; never throws for a failed call. */
final class AgentRuns {

    private AgentRuns() {}

    static Outcome run(Agent agent, Supplier<String> query) {
        String input;
        try {
            input = query.get();
        } catch (RuntimeException e) {
            return new Outcome.Failed("could not build the query: " + message(e));
        }
        if (input == null || input.isBlank()) {
            return new Outcome.Failed("the query is empty");
        }
        try {
            Response response = agent.run(input);
            return switch (response.stopReason()) {
                case CANCELLED -> new Outcome.Cancelled("the agent run was interrupted");
                case MAX_ITERATIONS ->
                    new Outcome.Failed("agent '" + agent.config().name() + "' stopped after " + response.iterations()
                            + " model calls without a final answer");
                default -> new Outcome.Succeeded(response);
            };
        } catch (dev.miu.core.CancelledException e) {
            return new Outcome.Cancelled(message(e));
        } catch (RuntimeException e) {
            return new Outcome.Failed(message(e));
        }
    }

    static String message(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }
}
