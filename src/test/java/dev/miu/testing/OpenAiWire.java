package dev.miu.testing;

import java.util.ArrayList;
import java.util.List;

/** Renders replies as OpenAI Chat Completions does: a completion object, or {@code data:} chunks ending in {@code [DONE]}. */
final class OpenAiWire implements Wire {

    @Override
    public String plainTurn(Reply.Turn turn, String model) {
        StringBuilder text = new StringBuilder();
        StringBuilder calls = new StringBuilder();
        for (Reply.Part part : turn.parts()) {
            switch (part) {
                case Reply.Text t -> text.append(t.text());
                case Reply.ToolCall c -> {
                    if (!calls.isEmpty()) {
                        calls.append(',');
                    }
                    calls.append(toolCall(c.id(), c.name(), c.argumentsJson(), -1));
                }
            }
        }
        String message =
                "{\"role\":\"assistant\",\"content\":" + (text.isEmpty() ? "null" : Wire.quote(text.toString()))
                        + (calls.isEmpty() ? "" : ",\"tool_calls\":[" + calls + "]") + "}";
        return "{\"id\":\"chatcmpl-scripted\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":"
                + Wire.quote(model) + ",\"choices\":[{\"index\":0,\"message\":" + message + ",\"finish_reason\":"
                + Wire.quote(finishReason(turn)) + "}]," + usage(turn) + "}";
    }

    @Override
    public List<String> streamTurn(Reply.Turn turn, String model) {
        List<String> frames = new ArrayList<>(streamPrefix(turn.parts(), model));
        frames.add(chunk(model, "{\"index\":0,\"delta\":{},\"finish_reason\":" + Wire.quote(finishReason(turn)) + "}"));
        frames.add("data: {\"id\":\"chatcmpl-scripted\",\"object\":\"chat.completion.chunk\",\"model\":"
                + Wire.quote(model) + ",\"choices\":[]," + usage(turn) + "}\n\n");
        frames.add("data: [DONE]\n\n");
        return frames;
    }

    @Override
    public List<String> streamPrefix(List<Reply.Part> parts, String model) {
        List<String> frames = new ArrayList<>();
        frames.add(chunk(
                model, "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}"));
        int toolIndex = 0;
        for (Reply.Part part : parts) {
            switch (part) {
                case Reply.Text t -> {
                    for (String piece : Wire.textChunks(t.text())) {
                        frames.add(chunk(
                                model,
                                "{\"index\":0,\"delta\":{\"content\":" + Wire.quote(piece)
                                        + "},\"finish_reason\":null}"));
                    }
                }
                case Reply.ToolCall c -> {
                    List<String> args = Wire.jsonChunks(c.argumentsJson());
                    frames.add(chunk(
                            model,
                            "{\"index\":0,\"delta\":{\"tool_calls\":[" + toolCall(c.id(), c.name(), "", toolIndex)
                                    + "]},\"finish_reason\":null}"));
                    for (String a : args) {
                        frames.add(chunk(
                                model,
                                "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":" + toolIndex
                                        + ",\"function\":{\"arguments\":" + Wire.quote(a)
                                        + "}}]},\"finish_reason\":null}"));
                    }
                    toolIndex++;
                }
            }
        }
        return frames;
    }

    @Override
    public String streamErrorEvent(String type, String message) {
        return "data: {\"error\":{\"type\":" + Wire.quote(type) + ",\"message\":" + Wire.quote(message) + "}}\n\n";
    }

    @Override
    public String errorBody(String type, String message) {
        return "{\"error\":{\"message\":" + Wire.quote(message) + ",\"type\":" + Wire.quote(type)
                + ",\"param\":null,\"code\":null}}";
    }

    private static String toolCall(String id, String name, String arguments, int index) {
        return "{" + (index >= 0 ? "\"index\":" + index + "," : "") + "\"id\":" + Wire.quote(id)
                + ",\"type\":\"function\",\"function\":{\"name\":" + Wire.quote(name) + ",\"arguments\":"
                + Wire.quote(arguments) + "}}";
    }

    private static String chunk(String model, String choice) {
        return "data: {\"id\":\"chatcmpl-scripted\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":"
                + Wire.quote(model) + ",\"choices\":[" + choice + "]}\n\n";
    }

    private static String finishReason(Reply.Turn turn) {
        return switch (turn.effectiveStopReason()) {
            case "tool_use" -> "tool_calls";
            case "max_tokens" -> "length";
            default -> "stop";
        };
    }

    private static String usage(Reply.Turn turn) {
        return "\"usage\":{\"prompt_tokens\":" + turn.inputTokens() + ",\"completion_tokens\":" + turn.outputTokens()
                + ",\"total_tokens\":" + (turn.inputTokens() + turn.outputTokens()) + "}";
    }
}
