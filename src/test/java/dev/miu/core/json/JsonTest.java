package dev.miu.core.json;

import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerationException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Writing JSON: compact text, strings escaped as the providers' APIs read them, invalid JSON refused. */
class JsonTest {

    /** A long session's file: Parsson 1.1.9 stops at 15,000,000 parsing steps unless told otherwise. */
    @Test
    void readsDocumentsOfMoreThanFifteenMillionCharacters() {
        String text = "x".repeat(1_000_000);
        var messages = Json.array();
        for (int i = 0; i < 20; i++) {
            messages.add(Json.object().add("text", text));
        }
        String json = Json.write(Json.object().add("messages", messages).build());
        assertEquals(20, Json.parseObject(json).getJsonArray("messages").size());
    }

    @Test
    void writesCompactJsonWithShortEscapes() {
        JsonValue value = Json.object()
                .add("text", "say \"hi\"\n\t\\ \u0001 é 😀 </script>")
                .add("n", 3)
                .add("x", 2.5)
                .add("ok", true)
                .addNull("none")
                .add("list", Json.array().add(1).add("two"))
                .build();
        assertEquals(
                "{\"text\":\"say \\\"hi\\\"\\n\\t\\\\ \\u0001 é 😀 </script>\",\"n\":3,\"x\":2.5,"
                        + "\"ok\":true,\"none\":null,\"list\":[1,\"two\"]}",
                Json.write(value));
    }

    @Test
    void randomTreesSurviveAWriteAndARead() {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            JsonValue value = tree(random, 0);
            assertEquals(value, Json.parse(Json.write(value)), "tree " + i);
        }
    }

    @Test
    void theGeneratorWritesWhatItIsTold() {
        String json = Json.generate(g -> g.writeStartObject()
                .write("model", "m")
                .write("max_tokens", 1024)
                .write("big", 12345678901L)
                .write("bd", new BigDecimal("1.50"))
                .write("bi", new BigInteger("123456789012345678901234567890"))
                .write("yes", true)
                .writeNull("nothing")
                .writeStartArray("messages")
                .writeStartObject()
                .write("role", "user")
                .writeEnd()
                .writeEnd()
                .writeKey("input")
                .write(Json.EMPTY_OBJECT)
                .writeStartObject("nested")
                .writeKey("k")
                .writeStartArray()
                .write("v")
                .writeEnd()
                .writeEnd()
                .writeEnd());
        assertEquals(
                "{\"model\":\"m\",\"max_tokens\":1024,\"big\":12345678901,\"bd\":1.50,"
                        + "\"bi\":123456789012345678901234567890,\"yes\":true,\"nothing\":null,"
                        + "\"messages\":[{\"role\":\"user\"}],\"input\":{},\"nested\":{\"k\":[\"v\"]}}",
                json);
    }

    @Test
    void invalidJsonIsRefused() {
        assertThrows(JsonGenerationException.class, () -> Json.generate(g -> g.writeStartObject()), "left open");
        assertThrows(JsonGenerationException.class, () -> Json.generate(g -> {}), "nothing written");
        assertThrows(
                JsonGenerationException.class,
                () -> Json.generate(g -> g.writeStartObject().write("no name")));
        assertThrows(
                JsonGenerationException.class,
                () -> Json.generate(g -> g.writeStartArray().write("k", "v")));
        assertThrows(
                JsonGenerationException.class,
                () -> Json.generate(g -> g.writeStartArray().writeEnd().writeEnd()));
        assertThrows(
                JsonGenerationException.class,
                () -> Json.generate(g -> g.write(1).write(2)),
                "two top-level values");
        assertThrows(
                JsonGenerationException.class,
                () -> Json.generate(g -> g.writeStartObject().writeKey("a").writeEnd()));
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
            case 5 ->
                switch (random.nextInt(3)) {
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
            s.append(
                    pick < 5
                            ? (char) ('a' + random.nextInt(26))
                            : pick < 8 ? (char) random.nextInt(0x80) : (char) random.nextInt(0x10000));
        }
        return s.toString();
    }
}
