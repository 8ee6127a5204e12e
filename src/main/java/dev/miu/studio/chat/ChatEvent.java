package dev.miu.studio.chat;

import dev.miu.core.json.Json;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import jakarta.json.JsonObject;

/**
 * What a chat turn reports to SSE and WebSocket clients, in order: text chunks, tool calls and results, usage per
 * model call, then one {@link Done} (after the session is saved) or one {@link Error}. The JSON form is
 * {@code {"type": ..., ...}} as the original miu studio sent it.
 */
public sealed interface ChatEvent {

    JsonObject toJson();

    /** A piece of the answer text. */
    record Chunk(String content) implements ChatEvent {
        @Override
        public JsonObject toJson() {
            return Json.object().add("type", "chunk").add("content", content).build();
        }
    }

    /** The model called a tool, which is about to run. */
    record ToolCall(String id, String name, JsonObject input) implements ChatEvent {
        @Override
        public JsonObject toJson() {
            return Json.object()
                    .add("type", "tool_call")
                    .add("id", id)
                    .add("name", name)
                    .add("input", input)
                    .build();
        }
    }

    /** A tool finished; {@code isError} says the output describes a failure. */
    record ToolResult(String id, String name, String output, boolean isError) implements ChatEvent {
        @Override
        public JsonObject toJson() {
            return Json.object()
                    .add("type", "tool_result")
                    .add("id", id)
                    .add("name", name)
                    .add("output", output)
                    .add("is_error", isError)
                    .build();
        }
    }

    /** Tokens one model call used. */
    record UsageUpdate(Usage usage) implements ChatEvent {
        @Override
        public JsonObject toJson() {
            return Json.object()
                    .add("type", "usage")
                    .add("usage", usageJson(usage))
                    .build();
        }
    }

    /** The turn ended and is stored: why it ended, the tokens of the whole turn, and the session's message count. */
    record Done(StopReason stopReason, Usage usage, int messageCount) implements ChatEvent {
        @Override
        public JsonObject toJson() {
            return Json.object()
                    .add("type", "done")
                    .add("stop_reason", stopReason.wireName())
                    .add("usage", usageJson(usage))
                    .add("message_count", messageCount)
                    .build();
        }
    }

    /**
     * The turn could not run or failed; {@code detail} says why, as an HTTP error body would. The same text is
     * also sent as {@code content}, where the original miu's browser client reads it.
     */
    @SuppressWarnings("AvoidCommonTypeNames") // the wire event is "error"; ChatEvent.Error is always qualified
    record Error(String detail) implements ChatEvent {
        @Override
        public JsonObject toJson() {
            return Json.object()
                    .add("type", "error")
                    .add("detail", detail)
                    .add("content", detail)
                    .build();
        }
    }

    /** One usage shape everywhere: chat events, chat responses and stored sessions. */
    static JsonObject usageJson(Usage usage) {
        return dev.miu.studio.session.SessionJson.usageJson(usage);
    }
}
