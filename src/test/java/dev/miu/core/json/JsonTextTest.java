package dev.miu.core.json;

import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerationException;
import jakarta.json.stream.JsonGenerator;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** miu's JSON writer writes exactly what Parsson's writer and generator write, and refuses what they refuse. */
class JsonTextTest {

    private static String parsson(JsonValue value) {
        return parsson(g -> g.write(value));
    }

    private static String parsson(Consumer<JsonGenerator> calls) {
        var out = new StringWriter();
        try (var g = Json.PROVIDER.createGeneratorFactory(Map.of()).createGenerator(out)) {
            calls.accept(g);
        }
        return out.toString();
    }

    @Test
    void everyCharacterIsEscapedAsParssonEscapesIt() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x300; c++) {
            all.append(c);
        }
        all.append("\u2028\u2029\ud83d\ude00 lone \ud800 surrogate </script> \\\" end");
        JsonValue value = Json.object().add(all.toString(), all.toString()).add("plain", "no escapes at all").build();
        assertEquals(parsson(value), Json.write(value));
        assertEquals(parsson(Json.string("\"quoted\"\n")), Json.write(Json.string("\"quoted\"\n")));
    }

    @Test
    void randomTreesAreWrittenExactlyAsParssonWritesThem() {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            JsonValue value = tree(random, 0);
            assertEquals(parsson(value), Json.write(value), "tree " + i);
        }
    }

    @Test
    void theGeneratorCallsGiveWhatParssonsGeneratorGives() {
        Consumer<JsonGenerator> calls = g -> g.writeStartObject()
                .write("model", "m").write("max_tokens", 1024).write("big", 12345678901L)
                .write("temperature", 0.7).write("tiny", 1e-9).write("huge", 1.5e300)
                .write("bd", new BigDecimal("1.50")).write("bi", new BigInteger("123456789012345678901234567890"))
                .write("yes", true).write("no", false).writeNull("nothing")
                .writeStartArray("messages")
                .writeStartObject().write("role", "user").writeStartArray("content")
                .writeStartObject().write("type", "text").write("text", "hi\t\"there\"").writeEnd()
                .writeEnd().writeEnd()
                .write("bare string").write(3).write(4L).write(2.5).write(true).writeNull()
                .write(Json.parse("{\"a\":[1,2.50,{\"b\":null}],\"c\":\"d\"}"))
                .writeStartArray().writeEnd().writeStartObject().writeEnd()
                .writeEnd()
                .writeKey("input").write(Json.EMPTY_OBJECT)
                .writeStartObject("nested").writeKey("k").writeStartArray().write("v").writeEnd().writeEnd()
                .write("stream", true)
                .writeEnd();
        assertEquals(parsson(calls), Json.generate(calls));
        assertEquals(parsson(g -> g.writeStartArray().writeEnd()), Json.generate(g -> g.writeStartArray().writeEnd()));
    }

    @Test
    void invalidJsonIsRefused() {
        assertThrows(JsonGenerationException.class, () -> Json.generate(g -> g.writeStartObject()), "left open");
        assertThrows(JsonGenerationException.class, () -> Json.generate(g -> { }), "nothing written");
        assertThrows(JsonGenerationException.class, () -> Json.generate(g -> g.writeStartObject().write("no name")));
        assertThrows(JsonGenerationException.class, () -> Json.generate(g -> g.writeStartArray().write("k", "v")));
        assertThrows(JsonGenerationException.class, () -> Json.generate(g -> g.writeStartArray().writeEnd().writeEnd()));
        assertThrows(JsonGenerationException.class, () -> Json.generate(g -> g.write(1).write(2)), "two top-level values");
        assertThrows(JsonGenerationException.class, () -> Json.generate(g -> g.writeStartObject().writeKey("a").writeEnd()));
        assertThrows(NumberFormatException.class, () -> Json.generate(g -> g.write(Double.NaN)));
        assertThrows(NumberFormatException.class, () -> Json.generate(g -> g.write(Double.POSITIVE_INFINITY)));
    }

    private static JsonValue tree(Random random, int depth) {
        int kind = depth > 3 ? random.nextInt(6) : random.nextInt(8);
        return switch (kind) {
            case 0 -> Json.string(text(random));
            case 1 -> Json.PROVIDER.createValue(random.nextInt());
            case 2 -> Json.PROVIDER.createValue(random.nextLong());
            case 3 -> Json.PROVIDER.createValue(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 4 -> Json.PROVIDER.createValue(new BigDecimal(random.nextLong()).movePointLeft(random.nextInt(10)));
            case 5 -> switch (random.nextInt(3)) {
                case 0 -> JsonValue.TRUE;
                case 1 -> JsonValue.FALSE;
                default -> JsonValue.NULL;
            };
            case 6 -> {
                var o = Json.object();
                for (int i = random.nextInt(5); i > 0; i--) {
                    o.add(text(random), tree(random, depth + 1));
                }
                yield o.build();
            }
            default -> {
                var a = Json.array();
                for (int i = random.nextInt(5); i > 0; i--) {
                    a.add(tree(random, depth + 1));
                }
                yield a.build();
            }
        };
    }

    private static String text(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            int pick = random.nextInt(10);
            s.append(pick < 5 ? (char) ('a' + random.nextInt(26)) : pick < 8 ? (char) random.nextInt(0x80) : (char) random.nextInt(0x10000));
        }
        return s.toString();
    }
}
