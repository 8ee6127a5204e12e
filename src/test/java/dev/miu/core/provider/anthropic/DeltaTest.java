package dev.miu.core.provider.anthropic;

import dev.miu.core.provider.StreamEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The streaming read of content_block_delta events: any field order, unknown fields skipped, bad JSON refused. */
class DeltaTest {

    @Test
    void readsTextAndToolInputDeltasInAnyFieldOrder() {
        assertEquals(new Delta(0, "text_delta", "Hello \"you\" ✓\n🐱", ""), Delta.parse(
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello \\\"you\\\" \\u2713\\n🐱\"}}"));
        assertEquals(new Delta(3, "input_json_delta", "", "{\"city\": \"Li"), Delta.parse(
                "{\"delta\":{\"partial_json\":\"{\\\"city\\\": \\\"Li\",\"type\":\"input_json_delta\"},\"index\":3,\"type\":\"content_block_delta\"}"));
    }

    @Test
    void skipsWhatItDoesNotKnowHoweverNested() {
        assertEquals(new Delta(1, "citations_delta", "", ""), Delta.parse(
                "{\"type\":\"content_block_delta\",\"extra\":{\"a\":[1,{\"b\":null}],\"index\":9},\"index\":1,"
                        + "\"delta\":{\"type\":\"citations_delta\",\"citation\":{\"text\":\"not this\",\"n\":[true,false]},\"x\":1.5},"
                        + "\"list\":[[],{}]}"));
        assertEquals(new Delta(0, "", "", ""), Delta.parse("{}"));
    }

    @Test
    void aStreamWithAndWithoutEventNamesGivesTheSameEvents() throws IOException {
        String[] data = {
                "{\"type\":\"message_start\",\"message\":{\"model\":\"m\",\"usage\":{\"input_tokens\":5}}}",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}",
                "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\"}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":2}}",
                "{\"type\":\"message_stop\"}"};
        StringBuilder named = new StringBuilder();
        StringBuilder unnamed = new StringBuilder();
        for (String d : data) {
            String type = d.substring(9, d.indexOf('"', 9));
            named.append("event: ").append(type).append("\ndata: ").append(d).append("\n\n");
            unnamed.append("data: ").append(d).append("\n\n");
        }
        var fromNamed = new ArrayList<StreamEvent>();
        var fromUnnamed = new ArrayList<StreamEvent>();
        AnthropicProvider.readStream(new ByteArrayInputStream(named.toString().getBytes(StandardCharsets.UTF_8)), fromNamed::add);
        AnthropicProvider.readStream(new ByteArrayInputStream(unnamed.toString().getBytes(StandardCharsets.UTF_8)), fromUnnamed::add);
        assertEquals(fromNamed, fromUnnamed);
        assertEquals(List.of(new StreamEvent.TextDelta("Hi"),
                new StreamEvent.ToolInputDelta("t1", "{}")), fromNamed.stream()
                .filter(e -> e instanceof StreamEvent.TextDelta || e instanceof StreamEvent.ToolInputDelta)
                .toList());
    }

    @Test
    void readsWhatATreeParserReadsForAnyTextOrPartialJson() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 500; i++) {
            StringBuilder value = new StringBuilder();
            for (int n = random.nextInt(20); n > 0; n--) {
                int pick = random.nextInt(4);
                value.append(pick == 0 ? (char) random.nextInt(0x80) : pick == 1 ? (char) random.nextInt(0x10000)
                        : (char) ('a' + random.nextInt(26)));
            }
            boolean text = random.nextBoolean();
            var delta = dev.miu.core.json.Json.object().add("type", text ? "text_delta" : "input_json_delta")
                    .add(text ? "text" : "partial_json", value.toString());
            if (random.nextBoolean()) {
                delta.add("extra", dev.miu.core.json.Json.parse("[1.5e3,-0,{\"k\":[true,false,null]}]"));
            }
            String data = dev.miu.core.json.Json.write(dev.miu.core.json.Json.object()
                    .add("type", "content_block_delta").add("index", i).add("delta", delta).build());
            if (random.nextBoolean()) {
                // whitespace between tokens (inside a string a quote always follows a backslash, so these never match there)
                data = " " + data.replace("\"index\":", "\"index\" :\n ").replace(",\"delta\":", " ,\t\"delta\" : ") + "\r\n";
            }
            var tree = dev.miu.core.json.Json.parseObject(data).getJsonObject("delta");
            assertEquals(new Delta(i, tree.getString("type"), tree.getString("text", ""), tree.getString("partial_json", "")),
                    Delta.parse(data), data);
        }
        assertEquals(new Delta(2, "text_delta", "a/b\u00e9\ud83d\ude00", ""), Delta.parse(
                "{\"index\":2,\"delta\":{\"text\":\"a\\/b\\u00E9\\ud83d\\ude00\",\"type\":\"text_delta\"}}"));
    }

    @Test
    void malformedJsonIsAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Delta.parse("{\"delta\":{\"text\":\"bad \\x escape\"}}"));
        assertThrows(IllegalArgumentException.class, () -> Delta.parse("{\"delta\":{\"text\":\"short \\u12\"}}"));
        assertThrows(IllegalArgumentException.class, () -> Delta.parse("{\"delta\":{\"text\":\"\\u\u0661\u0662\u0663\u0664\"}}"),
                "only ASCII hex digits");
        assertThrows(IllegalArgumentException.class, () -> Delta.parse("{\"delta\":{\"text\":\"raw \n newline\"}}"));
        assertThrows(IllegalArgumentException.class, () -> Delta.parse("{\"index\":01x}"));
        assertThrows(IllegalArgumentException.class, () -> Delta.parse("{\"extra\":tru}"));
        assertThrows(IllegalArgumentException.class, () -> Delta.parse("{\"index\":0,}"));
        assertThrows(IllegalArgumentException.class, () -> Delta.parse("{\"extra\":" + "[".repeat(1000) + "]".repeat(1000) + "}"),
                "nesting is bounded");
        assertThrows(IllegalArgumentException.class, () -> Delta.parse("{\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"cut"));
        assertThrows(IllegalArgumentException.class, () -> Delta.parse("[1,2]"));
        assertThrows(IllegalArgumentException.class, () -> Delta.parse("{\"index\":0} trailing"));
        assertThrows(IllegalArgumentException.class, () -> Delta.parse(""));
    }
}
