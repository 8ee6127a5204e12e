package dev.miu.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One scripted answer of {@link ScriptedLlmServer}. Protocol-neutral: the server renders it as an Anthropic
 * Messages, OpenAI Chat Completions (or Gemini) response, plain or streamed, to match the request it answers.
 */
public sealed interface Reply {

    /** A piece of a model turn. */
    sealed interface Part {}

    /** Answer text; streamed as several deltas (split on spaces). */
    record Text(String text) implements Part {}

    /** A tool call; its JSON arguments are streamed in fragments. */
    record ToolCall(String id, String name, String argumentsJson) implements Part {}

    /**
     * A model turn.
     *
     * @param stopReason Anthropic-style stop reason ({@code end_turn}, {@code tool_use}, {@code max_tokens});
     *                   null picks {@code tool_use} when there are tool calls, else {@code end_turn}
     * @param chunkDelay pause between streamed chunks (zero for none)
     */
    record Turn(List<Part> parts, String stopReason, int inputTokens, int outputTokens, Duration chunkDelay)
            implements Reply {

        public Turn withUsage(int input, int output) {
            return new Turn(parts, stopReason, input, output, chunkDelay);
        }

        public Turn withChunkDelay(Duration delay) {
            return new Turn(parts, stopReason, inputTokens, outputTokens, delay);
        }

        public Turn withStopReason(String reason) {
            return new Turn(parts, reason, inputTokens, outputTokens, chunkDelay);
        }

        String effectiveStopReason() {
            if (stopReason != null) {
                return stopReason;
            }
            return parts.stream().anyMatch(ToolCall.class::isInstance) ? "tool_use" : "end_turn";
        }
    }

    /** An HTTP error response, e.g. 429 with {@code retry-after}, or 500. The body is the provider's error JSON. */
    record HttpError(int status, Map<String, String> headers, String errorType, String message) implements Reply {}

    /** A stream that sends {@code before} and then fails with a provider error event (Anthropic {@code error}). */
    record StreamError(List<Part> before, String errorType, String message) implements Reply {}

    /** A stream that sends {@code before} and then drops the connection without finishing. */
    record Truncated(List<Part> before) implements Reply {}

    /**
     * A stream that sends {@code before} and then only keep-alive pings, every {@code every}, until the client
     * leaves: a provider that never finishes yet never lets a read time out.
     */
    record PingsForever(List<Part> before, Duration every) implements Reply {}

    static PingsForever pingsForever() {
        return new PingsForever(List.of(), Duration.ofMillis(100));
    }

    /** Streams {@code text} and then only pings: a client sees the model has started before it hangs. */
    static PingsForever pingsForeverAfter(String text) {
        return new PingsForever(List.of(new Text(text)), Duration.ofMillis(100));
    }

    static Turn text(String text) {
        return new Turn(List.of(new Text(text)), null, 10, 5, Duration.ZERO);
    }

    static Turn toolCall(String id, String name, String argumentsJson) {
        return new Turn(List.of(new ToolCall(id, name, argumentsJson)), null, 12, 7, Duration.ZERO);
    }

    static Turn turn(Part... parts) {
        return new Turn(List.of(parts), null, 10, 5, Duration.ZERO);
    }

    static HttpError status(int status, String message) {
        return new HttpError(status, Map.of(), status == 429 ? "rate_limit_error" : "api_error", message);
    }

    static HttpError status(int status, String message, Map<String, String> headers) {
        return new HttpError(status, headers, status == 429 ? "rate_limit_error" : "api_error", message);
    }

    static StreamError streamError(String text, String errorType, String message) {
        return new StreamError(text == null ? List.of() : List.of(new Text(text)), errorType, message);
    }
}
