package dev.miu.code.tui;

import dev.miu.code.approval.ApprovalRequest;
import dev.miu.code.approval.Decision;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.Response;

import java.util.concurrent.BlockingQueue;

/** Everything the UI thread reacts to. */
sealed interface UiEvent {

    /** A key press; {@code chars} holds the typed text for {@link Key#CHAR}. */
    record KeyPress(Key key, String chars) implements UiEvent {}

    /** Something the running turn reported. */
    record Agent(AgentEvent event) implements UiEvent {}

    /** The turn ended: with a response, or with a failure (then {@code response} is null). */
    record TurnEnded(Response response, RuntimeException failure) implements UiEvent {}

    /** A tool call waits for the user; the answer goes into {@code reply}. */
    record ApprovalAsked(ApprovalRequest request, BlockingQueue<Decision> reply) implements UiEvent {}

    /** The terminal changed size. */
    record Resized() implements UiEvent {}

    /** The key reader hit the end of input. */
    record InputClosed() implements UiEvent {}
}
