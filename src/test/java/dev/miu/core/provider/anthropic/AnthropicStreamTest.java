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

/** The streaming read of the Messages API: deltas in any field order, unknown fields skipped, bad JSON refused. */
class AnthropicStreamTest {

    private static List<StreamEvent> read(String... data) throws IOException {
        StringBuilder sse = new StringBuilder();
        for (String d : data) {
            sse.append("event: content_block_delta\ndata: ").append(d).append("\n\n");
        }
        sse.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        var events = new ArrayList<StreamEvent>();
        AnthropicProvider.readStream(
                new ByteArrayInputStream(sse.toString().getBytes(StandardCharsets.UTF_8)), events::add);
        return events.subList(0, events.size() - 1);
    }

    @Test
    void readsDeltasInAnyFieldOrderAndSkipsWhatItDoesNotKnow() throws IOException {
        String start =
                "{\"type\":\"content_block_start\",\"index\":3,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t3\",\"name\":\"f\"}}";
        StringBuilder sse = new StringBuilder("event: content_block_start\ndata: " + start + "\n\n");
        assertEquals(
                List.of(new StreamEvent.TextDelta("Hello \"you\" ✓\n🐱")),
                read(
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello \\\"you\\\" \\u2713\\n🐱\"}}"));
        assertEquals(
                List.of(),
                read("{\"type\":\"content_block_delta\",\"extra\":{\"a\":[1,{\"b\":null}],\"index\":9},\"index\":1,"
                        + "\"delta\":{\"type\":\"citations_delta\",\"citation\":{\"text\":\"not this\",\"n\":[true,false]},\"x\":1.5},"
                        + "\"list\":[[],{}]}"),
                "a delta kind miu does not model");
        sse.append(
                "event: content_block_delta\ndata: {\"delta\":{\"partial_json\":\"{\\\"city\\\": \\\"Li\",\"type\":\"input_json_delta\"},"
                        + "\"index\":3,\"type\":\"content_block_delta\"}\n\n");
        sse.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        var events = new ArrayList<StreamEvent>();
        AnthropicProvider.readStream(
                new ByteArrayInputStream(sse.toString().getBytes(StandardCharsets.UTF_8)), events::add);
        assertEquals(new StreamEvent.ToolInputDelta("t3", "{\"city\": \"Li"), events.get(1));
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
            "{\"type\":\"message_stop\"}"
        };
        StringBuilder named = new StringBuilder();
        StringBuilder unnamed = new StringBuilder();
        for (String d : data) {
            String type = d.substring(9, d.indexOf('"', 9));
            named.append("event: ").append(type).append("\ndata: ").append(d).append("\n\n");
            unnamed.append("data: ").append(d).append("\n\n");
        }
        var fromNamed = new ArrayList<StreamEvent>();
        var fromUnnamed = new ArrayList<StreamEvent>();
        AnthropicProvider.readStream(
                new ByteArrayInputStream(named.toString().getBytes(StandardCharsets.UTF_8)), fromNamed::add);
        AnthropicProvider.readStream(
                new ByteArrayInputStream(unnamed.toString().getBytes(StandardCharsets.UTF_8)), fromUnnamed::add);
        assertEquals(fromNamed, fromUnnamed);
        assertEquals(
                List.of(new StreamEvent.TextDelta("Hi"), new StreamEvent.ToolInputDelta("t1", "{}")),
                fromNamed.stream()
                        .filter(e -> e instanceof StreamEvent.TextDelta || e instanceof StreamEvent.ToolInputDelta)
                        .toList());
    }

    @Test
    void malformedJsonIsAnIllegalArgument() {
        for (String bad : List.of(
                "{\"delta\":{\"text\":\"bad \\x escape\"}}",
                "{\"delta\":{\"text\":\"raw \n newline\"}}",
                "{\"index\":01x}",
                "{\"extra\":tru}",
                "{\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"cut",
                "[1,2]",
                "{\"extra\":" + "[".repeat(1000) + "]".repeat(1000) + "}")) {
            assertThrows(IllegalArgumentException.class, () -> read(bad), bad);
        }
    }
}
