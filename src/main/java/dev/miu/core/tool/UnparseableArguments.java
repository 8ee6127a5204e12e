package dev.miu.core.tool;

import dev.miu.core.json.Json;
import jakarta.json.JsonObject;

import java.util.Optional;

/**
 * Tool-call arguments a model sent that were not a JSON object. A provider keeps them as the call's input under one
 * reserved key, so the message history stays valid JSON (and stored sessions keep reading back), and
 * {@link ToolRegistry} refuses the call with the text the model sent instead of running the tool.
 */
public record UnparseableArguments(String text) {

    /** The reserved key; it is stored in session histories, so it must not change. */
    private static final String KEY = "_unparseable_arguments";

    /** The tool-call input that carries this text. */
    public JsonObject asInput() {
        return Json.object().add(KEY, text).build();
    }

    /** The unparseable text {@code input} carries, if it is such a marker. */
    public static Optional<UnparseableArguments> in(JsonObject input) {
        return input.containsKey(KEY)
                ? Optional.of(new UnparseableArguments(input.getString(KEY, "")))
                : Optional.empty();
    }
}
