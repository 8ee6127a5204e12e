package dev.miu.studio.chat;

import dev.miu.agents.SamplingLimits;

/**
 * What a stateless run (the OpenAI-compatible API) changes of its agent's settings.
 *
 * @param system      the request's own system text, or null: added after a model agent's instructions (a
 *                    composition, whose members keep their own, gets it ahead of the first user message)
 * @param maxTokens   the request's output-token limit, or null: it can only lower each model agent's own
 * @param temperature the request's temperature, or null: it replaces each model agent's own
 */
public record StatelessOptions(String system, Integer maxTokens, Double temperature) {

    /** The limits every model agent of the run gets, a composition's members too. */
    public SamplingLimits limits() {
        return new SamplingLimits(maxTokens, temperature);
    }
}
