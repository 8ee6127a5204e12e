package dev.miu.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders replies as the Anthropic Messages API does: a message object, or message_start ... message_stop events.
 * Public for the benchmark's canned provider ({@code dev.miu.bench.CannedProvider}), which sends these bytes.
 */
public final class AnthropicWire implements Wire {

    @Override
    public String plainTurn(Reply.Turn turn, String model) {
        StringBuilder content = new StringBuilder();
        for (Reply.Part part : turn.parts()) {
            if (!content.isEmpty()) {
                content.append(',');
            }
            switch (part) {
                case Reply.Text t ->
                    content.append("{\"type\":\"text\",\"text\":")
                            .append(Wire.quote(t.text()))
                            .append('}');
                case Reply.ToolCall c ->
                    content.append("{\"type\":\"tool_use\",\"id\":")
                            .append(Wire.quote(c.id()))
                            .append(",\"name\":")
                            .append(Wire.quote(c.name()))
                            .append(",\"input\":")
                            .append(c.argumentsJson())
                            .append('}');
            }
        }
        return "{\"id\":\"msg_scripted\",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + Wire.quote(model)
                + ",\"content\":[" + content + "],\"stop_reason\":" + Wire.quote(turn.effectiveStopReason())
                + ",\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + turn.inputTokens()
                + ",\"output_tokens\":" + turn.outputTokens()
                + ",\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":0}}";
    }

    @Override
    public List<String> streamTurn(Reply.Turn turn, String model) {
        List<String> frames = new ArrayList<>(prefix(turn.parts(), model, turn.inputTokens()));
        frames.add(event(
                "message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                        + Wire.quote(turn.effectiveStopReason())
                        + ",\"stop_sequence\":null},\"usage\":{\"output_tokens\":"
                        + turn.outputTokens() + "}}"));
        frames.add(event("message_stop", "{\"type\":\"message_stop\"}"));
        return frames;
    }

    @Override
    public List<String> streamPrefix(List<Reply.Part> parts, String model) {
        return prefix(parts, model, 10);
    }

    private List<String> prefix(List<Reply.Part> parts, String model, int inputTokens) {
        List<String> frames = new ArrayList<>();
        frames.add(event(
                "message_start",
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_scripted\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"model\":" + Wire.quote(model)
                        + ",\"content\":[],\"stop_reason\":null,"
                        + "\"usage\":{\"input_tokens\":" + inputTokens
                        + ",\"output_tokens\":1,\"cache_read_input_tokens\":0,"
                        + "\"cache_creation_input_tokens\":0}}}"));
        frames.add(event("ping", "{\"type\":\"ping\"}"));
        int index = 0;
        for (Reply.Part part : parts) {
            switch (part) {
                case Reply.Text t -> {
                    frames.add(event(
                            "content_block_start",
                            "{\"type\":\"content_block_start\",\"index\":" + index
                                    + ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
                    for (String chunk : Wire.textChunks(t.text())) {
                        frames.add(event(
                                "content_block_delta",
                                "{\"type\":\"content_block_delta\",\"index\":" + index
                                        + ",\"delta\":{\"type\":\"text_delta\",\"text\":" + Wire.quote(chunk) + "}}"));
                    }
                }
                case Reply.ToolCall c -> {
                    frames.add(event(
                            "content_block_start",
                            "{\"type\":\"content_block_start\",\"index\":" + index
                                    + ",\"content_block\":{\"type\":\"tool_use\",\"id\":" + Wire.quote(c.id())
                                    + ",\"name\":"
                                    + Wire.quote(c.name()) + ",\"input\":{}}}"));
                    for (String chunk : Wire.jsonChunks(c.argumentsJson())) {
                        frames.add(event(
                                "content_block_delta",
                                "{\"type\":\"content_block_delta\",\"index\":" + index
                                        + ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
                                        + Wire.quote(chunk) + "}}"));
                    }
                }
            }
            frames.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}"));
            index++;
        }
        return frames;
    }

    @Override
    public String streamErrorEvent(String type, String message) {
        return event(
                "error",
                "{\"type\":\"error\",\"error\":{\"type\":" + Wire.quote(type) + ",\"message\":" + Wire.quote(message)
                        + "}}");
    }

    @Override
    public String pingFrame() {
        return "event: ping\ndata: {\"type\": \"ping\"}\n\n";
    }

    @Override
    public String errorBody(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":" + Wire.quote(type) + ",\"message\":" + Wire.quote(message)
                + "}}";
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }
}
