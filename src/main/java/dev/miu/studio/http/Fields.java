package dev.miu.studio.http;

import dev.miu.studio.StudioException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** Typed fields of a JSON request body; a wrong type or an over-long value is a 422 naming the field. */
final class Fields {

    private Fields() {}

    /** Whether {@code key} is present with a non-null value. */
    static boolean has(JsonObject body, String key) {
        JsonValue v = body.get(key);
        return v != null && v.getValueType() != JsonValue.ValueType.NULL;
    }

    /** The string at {@code key}, or {@code null} when absent or null. */
    static String optionalString(JsonObject body, String key, int maxLength) {
        JsonValue v = body.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(v instanceof JsonString s)) {
            throw StudioException.unprocessable("'" + key + "' must be a string");
        }
        if (s.getString().length() > maxLength) {
            throw StudioException.unprocessable("'" + key + "' is longer than " + maxLength + " characters");
        }
        return s.getString();
    }

    /** A string that must be present and not blank. */
    static String requiredString(JsonObject body, String key, int maxLength) {
        String s = optionalString(body, key, maxLength);
        if (s == null) {
            throw StudioException.unprocessable("'" + key + "' is required");
        }
        if (s.isBlank()) {
            throw StudioException.unprocessable("'" + key + "' must not be empty");
        }
        return s;
    }
}
