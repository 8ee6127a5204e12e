package dev.miu.core.provider;

import java.util.function.Consumer;

/**
 * A language-model API. Both calls produce the same {@link StreamEvent} sequence and assemble the
 * {@link ModelResponse} with {@link ResponseAssembler}, so the blocking and streaming paths cannot drift apart.
 * Failures are thrown as {@link ProviderException} after the provider's retries are spent.
 */
public interface Provider {

    /** The provider's name as used in model specs, e.g. {@code anthropic}. */
    String name();

    /** One model call answered in a single body (the provider's non-streaming endpoint). */
    ModelResponse complete(ModelRequest request);

    /** One model call streamed: each event goes to {@code events} as it arrives; returns the assembled response. */
    ModelResponse stream(ModelRequest request, Consumer<StreamEvent> events);
}
