package dev.miu.core.provider;

import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;

/**
 * What a provider emits while a model turn streams in. Every provider, whether it streams over SSE or
 * answers in one body, is turned into this sequence, and {@link ResponseAssembler} builds the response from it.
 */
public sealed interface StreamEvent {

    /** The model and the input-side usage, when the provider reports them up front. */
    record Start(String model, Usage usage) implements StreamEvent {}

    /** A piece of answer text. */
    record TextDelta(String text) implements StreamEvent {}

    /** The model began a tool call. */
    record ToolUseStart(String id, String name) implements StreamEvent {}

    /** A fragment of the JSON arguments of tool call {@code id}; fragments concatenate into one object. */
    record ToolInputDelta(String id, String partialJson) implements StreamEvent {}

    /** The turn ended. {@code usage} is cumulative for the call. */
    record Stop(StopReason reason, Usage usage) implements StreamEvent {}
}
