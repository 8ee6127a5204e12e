package dev.miu.core.json;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;
import java.util.function.Consumer;

/** JSON-P helpers used across miu. One provider instance, looked up once. */
public final class Json {

    public static final JsonProvider PROVIDER = JsonProvider.provider();
    public static final JsonObject EMPTY_OBJECT = PROVIDER.createObjectBuilder().build();
    /**
     * Made once: creating a reader from the provider looks its configuration up again every time. Parsson 1.1.9
     * refuses a document after 15,000,000 parsing steps (about that many characters of strings), which a long
     * session's file passes; what miu reads is bounded elsewhere (request bodies by {@code server.max-body-bytes},
     * nesting by {@link #MAX_DEPTH}), so the count is not limited here.
     */
    private static final jakarta.json.JsonReaderFactory READERS =
            PROVIDER.createReaderFactory(Map.of("org.eclipse.parsson.maxParsingLimit", Integer.MAX_VALUE));

    private static final JsonGeneratorFactory GENERATORS = PROVIDER.createGeneratorFactory(Map.of());

    /** Parsers for reading a small document field by field, without a tree (see {@link #parser}). */
    private static final JsonParserFactory PARSERS =
            PROVIDER.createParserFactory(Map.of("org.eclipse.parsson.maxParsingLimit", Integer.MAX_VALUE));

    private Json() {}

    /** Deepest nesting of arrays and objects accepted (the parser itself stops at 1,000 with a bare RuntimeException). */
    public static final int MAX_DEPTH = 500;
    /** Longest number accepted, in characters (the parser refuses numbers over 1,100 only when they are read). */
    public static final int MAX_NUMBER_LENGTH = 1000;

    /**
     * Parses any JSON value; throws {@link IllegalArgumentException} with the parser's reason on bad input, and for
     * nesting deeper than {@link #MAX_DEPTH} or a number longer than {@link #MAX_NUMBER_LENGTH}.
     */
    public static JsonValue parse(String text) {
        checkLimits(text);
        try (var reader = READERS.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (JsonParsingException e) {
            throw new IllegalArgumentException("Malformed JSON: " + e.getMessage(), e);
        } catch (jakarta.json.JsonException e) {
            throw new IllegalArgumentException("Malformed JSON: " + e.getMessage(), e);
        }
    }

    /** One pass over the text (strings skipped) that finds input the parser would choke on, before it does. */
    private static void checkLimits(String text) {
        int depth = 0;
        int numberRun = 0;
        boolean inString = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+') {
                if (++numberRun > MAX_NUMBER_LENGTH) {
                    throw new IllegalArgumentException("Malformed JSON: a number longer than " + MAX_NUMBER_LENGTH
                            + " characters at offset " + (i - numberRun + 1));
                }
                continue;
            }
            numberRun = 0;
            if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                if (++depth > MAX_DEPTH) {
                    throw new IllegalArgumentException(
                            "Malformed JSON: nested deeper than " + MAX_DEPTH + " arrays and objects at offset " + i);
                }
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
    }

    /**
     * A streaming parser over {@code text}, checked against the same limits as {@link #parse}: for a hot path that
     * needs a few fields of many small documents (a model's streamed deltas) and would otherwise build a map per
     * document. The parser throws {@link jakarta.json.JsonException} on malformed input.
     */
    public static JsonParser parser(String text) {
        checkLimits(text);
        return PARSERS.createParser(new StringReader(text));
    }

    /** Parses a JSON object; anything else is an {@link IllegalArgumentException}. */
    public static JsonObject parseObject(String text) {
        JsonValue value = parse(text);
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new IllegalArgumentException("Expected a JSON object but got "
                    + value.getValueType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return value.asJsonObject();
    }

    /** Compact JSON text of {@code value}. */
    public static String write(JsonValue value) {
        return generate(g -> g.write(value));
    }

    /**
     * JSON written straight from data by {@code writer}, without a tree of values built first: a model request
     * carries the whole conversation on every call.
     *
     * @throws jakarta.json.stream.JsonGenerationException when {@code writer} leaves the JSON incomplete or invalid
     */
    public static String generate(Consumer<JsonGenerator> writer) {
        var out = new StringWriter(512);
        try (JsonGenerator generator = GENERATORS.createGenerator(out)) {
            writer.accept(generator);
        }
        return out.toString();
    }

    public static jakarta.json.JsonObjectBuilder object() {
        return PROVIDER.createObjectBuilder();
    }

    public static jakarta.json.JsonArrayBuilder array() {
        return PROVIDER.createArrayBuilder();
    }

    public static JsonString string(String s) {
        return PROVIDER.createValue(s);
    }

    /** The string at {@code key}, or {@code fallback} when absent, null or not a string. */
    public static String string(JsonObject o, String key, String fallback) {
        JsonValue v = o == null ? null : o.get(key);
        return v instanceof JsonString s ? s.getString() : fallback;
    }

    public static long number(JsonObject o, String key, long fallback) {
        JsonValue v = o == null ? null : o.get(key);
        return v instanceof JsonNumber n ? n.longValue() : fallback;
    }

    public static JsonObject object(JsonObject o, String key) {
        JsonValue v = o == null ? null : o.get(key);
        return v instanceof JsonObject obj ? obj : null;
    }

    public static JsonArray array(JsonObject o, String key) {
        JsonValue v = o == null ? null : o.get(key);
        return v instanceof JsonArray arr ? arr : null;
    }

    /** Converts plain Java values (maps, lists, strings, numbers, booleans, null) into JSON. */
    public static JsonValue toJson(Object value) {
        return switch (value) {
            case null -> JsonValue.NULL;
            case JsonValue v -> v;
            case String s -> PROVIDER.createValue(s);
            case Boolean b -> b ? JsonValue.TRUE : JsonValue.FALSE;
            case Integer i -> PROVIDER.createValue(i);
            case Long l -> PROVIDER.createValue(l);
            case Double d -> PROVIDER.createValue(d);
            case Float f -> PROVIDER.createValue(f.doubleValue());
            case Number n -> PROVIDER.createValue(new java.math.BigDecimal(n.toString()));
            case Map<?, ?> m -> {
                var b = object();
                m.forEach((k, v) -> b.add(String.valueOf(k), toJson(v)));
                yield b.build();
            }
            case Iterable<?> it -> {
                var b = array();
                it.forEach(v -> b.add(toJson(v)));
                yield b.build();
            }
            default -> PROVIDER.createValue(value.toString());
        };
    }
}
