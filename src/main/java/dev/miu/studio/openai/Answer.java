package dev.miu.studio.openai;

import dev.miu.core.json.Json;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.studio.chat.ChatEvent;
import dev.miu.studio.chat.TurnResult;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.function.Consumer;

/**
 * The assistant's answer as an OpenAI client sees it, built from a turn's {@link ChatEvent}s: the text the agent
 * itself writes (its tool calls run server-side and are not shown), a blank line between its model calls. Text
 * pieces go to {@code deltas} as they come, so the streamed answer and the whole one are the same text. A
 * composition's members speak through it, so their text is not the answer: when the agent wrote none itself, its
 * final answer is given at the end in one piece.
 */
final class Answer implements Consumer<ChatEvent> {

    private final Consumer<String> deltas;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder waiting = new StringBuilder();
    private boolean newModelCall;

    Answer(Consumer<String> deltas) {
        this.deltas = deltas;
    }

    @Override
    public void accept(ChatEvent event) {
        switch (event) {
            case ChatEvent.Chunk c
            when c.agent() == null && !c.content().isEmpty() -> {
                emit(newModelCall && !text.isEmpty() ? "\n\n" + c.content() : c.content());
                newModelCall = false;
            }
            case ChatEvent.UsageUpdate u when u.agent() == null -> newModelCall = true;
            case ChatEvent.ApprovalRequest a ->
                waiting.append(waiting.isEmpty() ? "" : ", ")
                        .append(a.name())
                        .append(" (approval ")
                        .append(a.approvalId())
                        .append(')');
            default -> {}
        }
    }

    /**
     * Completes the text once the turn is over: the final answer when the agent wrote none itself, and, for a
     * session's turn that paused, which calls wait for a person and where to decide them.
     */
    void finish(TurnResult result) {
        if (text.isEmpty() && result.response() != null && !result.response().isEmpty()) {
            emit(result.response());
        }
        if (!waiting.isEmpty()) {
            emit((text.isEmpty() ? "" : "\n\n") + "[miu] Waiting for approval: " + waiting
                    + ". Decide with POST /api/v1/sessions/" + result.sessionId() + "/approvals/{approval_id}.");
        }
    }

    private void emit(String piece) {
        text.append(piece);
        deltas.accept(piece);
    }

    String text() {
        return text.toString();
    }

    /** OpenAI's {@code finish_reason} for how a turn ended. */
    static String finishReason(StopReason reason) {
        return switch (reason) {
            case MAX_TOKENS, MAX_ITERATIONS -> "length";
            case REFUSAL -> "content_filter";
            case END_TURN, STOP_SEQUENCE, TOOL_USE, CANCELLED, AWAITING_APPROVAL, ERROR -> "stop";
        };
    }

    static JsonObject usage(Usage usage) {
        return Json.object()
                .add("prompt_tokens", usage.inputTokens())
                .add("completion_tokens", usage.outputTokens())
                .add("total_tokens", usage.totalTokens())
                .build();
    }

    /** The whole answer as a {@code chat.completion}. */
    JsonObject completion(String id, long created, String model, TurnResult result) {
        return Json.object()
                .add("id", id)
                .add("object", "chat.completion")
                .add("created", created)
                .add("model", model)
                .add("system_fingerprint", JsonValue.NULL)
                .add(
                        "choices",
                        Json.array()
                                .add(Json.object()
                                        .add("index", 0)
                                        .add(
                                                "message",
                                                Json.object()
                                                        .add("role", "assistant")
                                                        .add("content", text())
                                                        .add("refusal", JsonValue.NULL))
                                        .add("logprobs", JsonValue.NULL)
                                        .add("finish_reason", finishReason(result.stopReason()))))
                .add("usage", usage(result.usage()))
                .build();
    }
}
