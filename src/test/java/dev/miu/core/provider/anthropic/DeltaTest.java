package dev.miu.core.provider.anthropic;

import org.junit.jupiter.api.Test;

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
    void malformedJsonIsAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Delta.parse("{\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"cut"));
        assertThrows(IllegalArgumentException.class, () -> Delta.parse("[1,2]"));
        assertThrows(IllegalArgumentException.class, () -> Delta.parse("{\"index\":0} trailing"));
        assertThrows(IllegalArgumentException.class, () -> Delta.parse(""));
    }
}
