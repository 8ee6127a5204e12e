package dev.miu.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders replies as Gemini's generateContent does: one GenerateContentResponse, or (streamGenerateContent with
 * {@code alt=sse}) several {@code data:} frames each holding a whole GenerateContentResponse. Function calls come
 * whole, without ids, the first of a turn carrying a {@code thoughtSignature} as thinking models send it; usage
 * is cumulative and sent with the last frame.
 */
final class GeminiWire implements Wire {

    /** The signature the scripted server puts on the first function call of a turn. */
    static String signature(String functionName) {
        return java.util.Base64.getEncoder()
                .encodeToString(("sig:" + functionName).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public String plainTurn(Reply.Turn turn, String model) {
        StringBuilder parts = new StringBuilder();
        boolean signed = false;
        for (Reply.Part part : turn.parts()) {
            if (!parts.isEmpty()) {
                parts.append(',');
            }
            parts.append(part(part, textOf(part), !signed));
            signed |= part instanceof Reply.ToolCall;
        }
        return response(parts.toString(), finishReason(turn), usage(turn), model);
    }

    @Override
    public List<String> streamTurn(Reply.Turn turn, String model) {
        List<String> frames = new ArrayList<>(streamPrefix(turn.parts(), model));
        frames.add(frame(response("{\"text\":\"\"}", finishReason(turn), usage(turn), model)));
        return frames;
    }

    @Override
    public List<String> streamPrefix(List<Reply.Part> parts, String model) {
        List<String> frames = new ArrayList<>();
        boolean signed = false;
        for (Reply.Part part : parts) {
            switch (part) {
                case Reply.Text t -> {
                    for (String piece : Wire.textChunks(t.text())) {
                        frames.add(frame(response(part(part, piece, false), null, null, model)));
                    }
                }
                case Reply.ToolCall c -> {
                    frames.add(frame(response(part(part, null, !signed), null, null, model)));
                    signed = true;
                }
            }
        }
        return frames;
    }

    @Override
    public String streamErrorEvent(String type, String message) {
        return frame("{\"error\":{\"code\":500,\"message\":" + Wire.quote(message) + ",\"status\":" + Wire.quote(type)
                + "}}");
    }

    @Override
    public String errorBody(String type, String message) {
        return "{\"error\":{\"code\":400,\"message\":" + Wire.quote(message) + ",\"status\":" + Wire.quote(type) + "}}";
    }

    private static String textOf(Reply.Part part) {
        return part instanceof Reply.Text t ? t.text() : null;
    }

    private static String part(Reply.Part part, String text, boolean sign) {
        return switch (part) {
            case Reply.Text t -> "{\"text\":" + Wire.quote(text) + "}";
            case Reply.ToolCall c ->
                "{\"functionCall\":{\"name\":" + Wire.quote(c.name()) + ",\"args\":" + c.argumentsJson() + "}"
                        + (sign ? ",\"thoughtSignature\":" + Wire.quote(signature(c.name())) : "") + "}";
        };
    }

    private static String response(String parts, String finishReason, String usage, String model) {
        return "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[" + parts + "]}"
                + (finishReason == null ? "" : ",\"finishReason\":" + Wire.quote(finishReason)) + ",\"index\":0}]"
                + (usage == null ? "" : ",\"usageMetadata\":" + usage)
                + ",\"modelVersion\":" + Wire.quote(model) + ",\"responseId\":\"scripted\"}";
    }

    private static String frame(String json) {
        return "data: " + json + "\r\n\r\n";
    }

    private static String finishReason(Reply.Turn turn) {
        return turn.effectiveStopReason().equals("max_tokens") ? "MAX_TOKENS" : "STOP";
    }

    private static String usage(Reply.Turn turn) {
        return "{\"promptTokenCount\":" + turn.inputTokens() + ",\"candidatesTokenCount\":" + turn.outputTokens()
                + ",\"totalTokenCount\":" + (turn.inputTokens() + turn.outputTokens()) + "}";
    }
}
