package dev.miu.core.tool;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks tool arguments against the JSON-schema subset tools use: {@code type} (one or several), {@code properties},
 * {@code required}, {@code additionalProperties: false}, {@code enum}, {@code items}, {@code minimum}/{@code maximum},
 * {@code minLength}/{@code maxLength}. Unknown keywords are ignored, so richer schemas (from MCP servers) still pass
 * what they can. Returns readable problems with JSON-pointer-like paths, for the model to correct.
 */
public final class JsonSchemaValidator {

    private JsonSchemaValidator() {}

    public static List<String> validate(JsonObject schema, JsonValue value) {
        List<String> problems = new ArrayList<>();
        check(schema, value, "", problems);
        return problems;
    }

    private static void check(JsonObject schema, JsonValue value, String path, List<String> problems) {
        if (schema == null) {
            return;
        }
        String where = path.isEmpty() ? "arguments" : "'" + path + "'";
        JsonValue type = schema.get("type");
        if (type != null && !matchesType(type, value)) {
            problems.add(where + " must be " + describe(type) + " but was " + kind(value));
            return;
        }
        JsonArray allowed = schema.get("enum") instanceof JsonArray a ? a : null;
        if (allowed != null && !allowed.contains(value)) {
            problems.add(where + " must be one of " + allowed);
        }
        switch (value) {
            case JsonObject obj -> checkObject(schema, obj, path, problems);
            case JsonArray arr -> {
                if (schema.get("items") instanceof JsonObject items) {
                    for (int i = 0; i < arr.size(); i++) {
                        check(items, arr.get(i), path + "[" + i + "]", problems);
                    }
                }
            }
            case JsonNumber n -> {
                if (schema.get("minimum") instanceof JsonNumber min
                        && n.bigDecimalValue().compareTo(min.bigDecimalValue()) < 0) {
                    problems.add(where + " must be >= " + min);
                }
                if (schema.get("maximum") instanceof JsonNumber max
                        && n.bigDecimalValue().compareTo(max.bigDecimalValue()) > 0) {
                    problems.add(where + " must be <= " + max);
                }
            }
            case JsonString s -> {
                if (schema.get("minLength") instanceof JsonNumber min
                        && s.getString().length() < min.intValue()) {
                    problems.add(where + " must have at least " + min + " characters");
                }
                if (schema.get("maxLength") instanceof JsonNumber max
                        && s.getString().length() > max.intValue()) {
                    problems.add(where + " must have at most " + max + " characters");
                }
            }
            default -> {}
        }
    }

    private static void checkObject(JsonObject schema, JsonObject obj, String path, List<String> problems) {
        JsonObject properties = schema.get("properties") instanceof JsonObject p ? p : JsonValue.EMPTY_JSON_OBJECT;
        if (schema.get("required") instanceof JsonArray required) {
            for (JsonValue r : required) {
                if (r instanceof JsonString name && !obj.containsKey(name.getString())) {
                    problems.add("missing required " + (path.isEmpty() ? "" : "'" + path + "' ") + "property '"
                            + name.getString() + "'");
                }
            }
        }
        boolean closed = schema.get("additionalProperties") == JsonValue.FALSE;
        for (Map.Entry<String, JsonValue> e : obj.entrySet()) {
            String childPath = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (properties.get(e.getKey()) instanceof JsonObject child) {
                check(child, e.getValue(), childPath, problems);
            } else if (closed) {
                problems.add("unexpected property '" + childPath + "'");
            }
        }
    }

    private static boolean matchesType(JsonValue type, JsonValue value) {
        if (type instanceof JsonArray types) {
            return types.stream().anyMatch(t -> matchesType(t, value));
        }
        if (!(type instanceof JsonString s)) {
            return true;
        }
        return switch (s.getString()) {
            case "object" -> value instanceof JsonObject;
            case "array" -> value instanceof JsonArray;
            case "string" -> value instanceof JsonString;
            case "number" -> value instanceof JsonNumber;
            case "integer" -> value instanceof JsonNumber n && isWhole(n);
            case "boolean" -> value == JsonValue.TRUE || value == JsonValue.FALSE;
            case "null" -> value == JsonValue.NULL;
            default -> true;
        };
    }

    private static boolean isWhole(JsonNumber n) {
        try {
            n.bigDecimalValue().toBigIntegerExact();
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    private static String describe(JsonValue type) {
        if (type instanceof JsonArray types) {
            return "one of " + types;
        }
        String t = ((JsonString) type).getString();
        return (t.startsWith("a") || t.startsWith("i") || t.startsWith("o") ? "an " : "a ") + t;
    }

    private static String kind(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case TRUE, FALSE -> "a boolean";
            case NULL -> "null";
        };
    }
}
