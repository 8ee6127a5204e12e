package dev.miu.core.json;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerationException;
import jakarta.json.stream.JsonGenerator;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * A {@link JsonGenerator} that writes compact JSON into a {@link StringBuilder}, byte for byte what Parsson's writer
 * produces. Parsson escapes strings one character at a time through its own buffer and a synchronized
 * {@code StringWriter}; here a string without characters to escape is appended in one copy. Model requests carry the
 * whole conversation on every call, so this was the largest part of writing them.
 */
final class JsonText implements JsonGenerator {

    private final StringBuilder out;
    /** Per open structure: whether it is an object, and whether it has a member yet. */
    private boolean[] isObject = new boolean[8];
    private boolean[] hasMember = new boolean[8];
    private int depth;
    /** A key was written and its value comes next. */
    private boolean afterKey;
    private boolean complete;

    JsonText(StringBuilder out) {
        this.out = out;
    }

    /** {@code value} as JSON text. */
    static String of(JsonValue value) {
        var text = new JsonText(new StringBuilder(128));
        text.write(value);
        return text.out.toString();
    }

    String text() {
        close();
        return out.toString();
    }

    @Override
    public JsonGenerator writeStartObject() {
        beforeValue();
        return open(true, '{');
    }

    @Override
    public JsonGenerator writeStartObject(String name) {
        writeKey(name);
        return open(true, '{');
    }

    @Override
    public JsonGenerator writeStartArray() {
        beforeValue();
        return open(false, '[');
    }

    @Override
    public JsonGenerator writeStartArray(String name) {
        writeKey(name);
        return open(false, '[');
    }

    @Override
    public JsonGenerator writeKey(String name) {
        if (depth == 0 || !isObject[depth - 1] || afterKey) {
            throw new JsonGenerationException("A name is only allowed inside an object, before a value: " + name);
        }
        member();
        string(out, name);
        out.append(':');
        afterKey = true;
        return this;
    }

    @Override
    public JsonGenerator writeEnd() {
        if (depth == 0 || afterKey) {
            throw new JsonGenerationException("writeEnd() without an open object or array, or after a name");
        }
        depth--;
        out.append(isObject[depth] ? '}' : ']');
        complete = depth == 0;
        return this;
    }

    @Override
    public JsonGenerator write(String name, JsonValue value) {
        return writeKey(name).write(value);
    }

    @Override
    public JsonGenerator write(String name, String value) {
        return writeKey(name).write(value);
    }

    @Override
    public JsonGenerator write(String name, BigInteger value) {
        return writeKey(name).write(value);
    }

    @Override
    public JsonGenerator write(String name, BigDecimal value) {
        return writeKey(name).write(value);
    }

    @Override
    public JsonGenerator write(String name, int value) {
        return writeKey(name).write(value);
    }

    @Override
    public JsonGenerator write(String name, long value) {
        return writeKey(name).write(value);
    }

    @Override
    public JsonGenerator write(String name, double value) {
        return writeKey(name).write(value);
    }

    @Override
    public JsonGenerator write(String name, boolean value) {
        return writeKey(name).write(value);
    }

    @Override
    public JsonGenerator writeNull(String name) {
        return writeKey(name).writeNull();
    }

    @Override
    public JsonGenerator write(JsonValue value) {
        switch (value.getValueType()) {
            case OBJECT -> {
                writeStartObject();
                for (Map.Entry<String, JsonValue> member : ((JsonObject) value).entrySet()) {
                    writeKey(member.getKey()).write(member.getValue());
                }
                writeEnd();
            }
            case ARRAY -> {
                writeStartArray();
                for (JsonValue item : (JsonArray) value) {
                    write(item);
                }
                writeEnd();
            }
            case STRING -> write(((JsonString) value).getString());
            case NUMBER, TRUE, FALSE, NULL -> literal(value.toString());
        }
        return this;
    }

    @Override
    public JsonGenerator write(String value) {
        beforeValue();
        string(out, value);
        return done();
    }

    @Override
    public JsonGenerator write(BigDecimal value) {
        return literal(String.valueOf(value));
    }

    @Override
    public JsonGenerator write(BigInteger value) {
        return literal(String.valueOf(value));
    }

    @Override
    public JsonGenerator write(int value) {
        beforeValue();
        out.append(value);
        return done();
    }

    @Override
    public JsonGenerator write(long value) {
        beforeValue();
        out.append(value);
        return done();
    }

    @Override
    public JsonGenerator write(double value) {
        if (Double.isInfinite(value) || Double.isNaN(value)) {
            throw new NumberFormatException("JSON has no infinite or NaN numbers: " + value);
        }
        return literal(String.valueOf(value));
    }

    @Override
    public JsonGenerator write(boolean value) {
        return literal(value ? "true" : "false");
    }

    @Override
    public JsonGenerator writeNull() {
        return literal("null");
    }

    @Override
    public void close() {
        if (!complete || depth != 0) {
            throw new JsonGenerationException("Incomplete JSON: a value or structure is still open");
        }
    }

    @Override
    public void flush() {
        // everything is in the builder already
    }

    /**
     * Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped the way Parsson
     * escapes them (short forms, else {@code \}{@code u00xx}); everything else as it is.
     */
    static void string(StringBuilder out, String s) {
        out.append('"');
        int from = 0;
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, from, i).append('\\');
            switch (c) {
                case '"', '\\' -> out.append(c);
                case '\b' -> out.append('b');
                case '\f' -> out.append('f');
                case '\n' -> out.append('n');
                case '\r' -> out.append('r');
                case '\t' -> out.append('t');
                default -> out.append("u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            }
            from = i + 1;
        }
        out.append(s, from, length).append('"');
    }

    private JsonGenerator literal(String text) {
        beforeValue();
        out.append(text);
        return done();
    }

    private JsonGenerator open(boolean object, char bracket) {
        if (depth == isObject.length) {
            isObject = java.util.Arrays.copyOf(isObject, depth * 2);
            hasMember = java.util.Arrays.copyOf(hasMember, depth * 2);
        }
        isObject[depth] = object;
        hasMember[depth] = false;
        depth++;
        afterKey = false;
        out.append(bracket);
        return this;
    }

    /** Where a value may go: after a name, in an array (after a comma if needed), or alone at the top. */
    private void beforeValue() {
        if (afterKey) {
            afterKey = false;
            return;
        }
        if (depth == 0) {
            if (complete) {
                throw new JsonGenerationException("Only one top-level value");
            }
            return;
        }
        if (isObject[depth - 1]) {
            throw new JsonGenerationException("A value in an object needs a name");
        }
        member();
    }

    private void member() {
        if (hasMember[depth - 1]) {
            out.append(',');
        }
        hasMember[depth - 1] = true;
    }

    private JsonGenerator done() {
        complete = depth == 0;
        return this;
    }
}
