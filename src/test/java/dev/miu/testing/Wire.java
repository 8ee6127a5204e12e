package dev.miu.testing;

import java.util.List;

/** How the scripted server renders replies in one provider's wire protocol. */
interface Wire {

    String plainTurn(Reply.Turn turn, String model);

    /** SSE frames (each ending in a blank line) for a whole streamed turn. */
    List<String> streamTurn(Reply.Turn turn, String model);

    /** The frames that start a stream and carry {@code parts}, without its end. */
    List<String> streamPrefix(List<Reply.Part> parts, String model);

    String streamErrorEvent(String type, String message);

    String errorBody(String type, String message);

    /** A keep-alive frame; an SSE comment unless the protocol has its own ping event. */
    default String pingFrame() {
        return ": ping\n\n";
    }

    static Wire forPath(String path) {
        if (path.endsWith("/v1/messages")) {
            return new AnthropicWire();
        }
        if (path.endsWith("/chat/completions")) {
            return new OpenAiWire();
        }
        if (path.contains("/v1beta/models/")
                && (path.endsWith(":generateContent") || path.endsWith(":streamGenerateContent"))) {
            return new GeminiWire();
        }
        return null;
    }

    /** Splits text into word-sized deltas so streams have several chunks. */
    static List<String> textChunks(String text) {
        List<String> chunks = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                chunks.add(text.substring(start, i));
                start = i;
            }
        }
        return chunks.isEmpty() ? List.of("") : chunks;
    }

    /** Splits JSON arguments into a few fragments, as providers stream them. */
    static List<String> jsonChunks(String json) {
        if (json.length() < 4) {
            return List.of(json);
        }
        int third = json.length() / 3;
        return List.of(json.substring(0, third), json.substring(third, 2 * third), json.substring(2 * third));
    }

    static String quote(String s) {
        return dev.miu.core.json.Json.string(s).toString();
    }
}
