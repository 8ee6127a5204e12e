package dev.miu.core.provider.anthropic;

import dev.miu.core.json.Json;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;

/**
 * A {@code content_block_delta} event's fields, read with the streaming parser: the stream has one per token, and
 * building a tree of values for each was the largest part of reading a stream. Fields in any order; unknown ones
 * (and their nested values) are skipped.
 *
 * @param index       the content block the delta belongs to
 * @param type        {@code text_delta}, {@code input_json_delta}, or another kind miu ignores ("" if none)
 * @param text        the text of a {@code text_delta} ("" if none)
 * @param partialJson the JSON fragment of an {@code input_json_delta} ("" if none)
 */
record Delta(int index, String type, String text, String partialJson) {

    /** @throws IllegalArgumentException when {@code data} is not a JSON object */
    static Delta parse(String data) {
        int index = 0;
        String type = "";
        String text = "";
        String partialJson = "";
        try (JsonParser parser = Json.parser(data)) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw new IllegalArgumentException("Expected a JSON object in content_block_delta");
            }
            JsonParser.Event event;
            while ((event = parser.next()) == JsonParser.Event.KEY_NAME) {
                String key = parser.getString();
                event = parser.next();
                if (key.equals("index") && event == JsonParser.Event.VALUE_NUMBER) {
                    index = parser.getInt();
                } else if (key.equals("delta") && event == JsonParser.Event.START_OBJECT) {
                    while ((event = parser.next()) == JsonParser.Event.KEY_NAME) {
                        String field = parser.getString();
                        event = parser.next();
                        if (event == JsonParser.Event.VALUE_STRING) {
                            switch (field) {
                                case "type" -> type = parser.getString();
                                case "text" -> text = parser.getString();
                                case "partial_json" -> partialJson = parser.getString();
                                default -> {
                                }
                            }
                        } else {
                            skip(parser, event);
                        }
                    }
                } else {
                    skip(parser, event);
                }
            }
            if (parser.hasNext()) {
                parser.next(); // anything after the object is malformed; the parser says so
            }
        } catch (JsonException e) {
            throw new IllegalArgumentException("Malformed JSON: " + e.getMessage(), e);
        }
        return new Delta(index, type, text, partialJson);
    }

    private static void skip(JsonParser parser, JsonParser.Event event) {
        if (event == JsonParser.Event.START_OBJECT) {
            parser.skipObject();
        } else if (event == JsonParser.Event.START_ARRAY) {
            parser.skipArray();
        }
    }
}
