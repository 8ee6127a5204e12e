package dev.miu.examples;

import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class ToolUsageTest {

    @RegisterExtension
    final ScriptedLlmServer server = ScriptedLlmServer.start();

    private final ToolUsage example = new ToolUsage(Clock.fixed(Instant.parse("2026-03-01T10:15:00Z"), ZoneOffset.UTC));

    @Test
    void theModelsThreeToolCallsRunAndTheirResultsGoBack() {
        server.enqueue(
                Reply.turn(
                        new Reply.ToolCall("t1", "get_weather", "{\"city\":\"Lisbon\"}"),
                        new Reply.ToolCall("t2", "get_time", "{\"timezone\":\"Asia/Tokyo\"}"),
                        new Reply.ToolCall("t3", "calculate", "{\"expression\":\"(17.5 * 4) - 3 ^ 2\"}")),
                Reply.text("Lisbon is sunny (sample data), it is 19:15 in Tokyo, and the result is 61."));

        var run = ExampleRunner.run(example, server.settings(), "anthropic:claude-test");

        assertEquals(0, run.exitCode());
        assertTrue(run.output().contains("<- calculate: 61"), run.output());
        assertTrue(run.output().contains("Answer: Lisbon is sunny (sample data)"), run.output());
        List<String> results = new ArrayList<>();
        var messages = server.requests().get(1).json().getJsonArray("messages");
        for (JsonValue block : messages.getJsonObject(messages.size() - 1).getJsonArray("content")) {
            JsonObject b = block.asJsonObject();
            results.add(b.getString("content") + (b.getBoolean("is_error", false) ? " [error]" : ""));
        }
        assertEquals(
                List.of(
                        "Lisbon: sunny, 22 °C, light wind from the north (sample data)",
                        "2026-03-01 19:15 +09:00 (Asia/Tokyo)",
                        "61"),
                results);
        var tools = server.requests().get(0).json().getJsonArray("tools");
        assertEquals(3, tools.size());
        server.assertAllConsumed();
    }

    @Test
    void badToolInputBecomesAnErrorTheModelReads() {
        server.enqueue(
                Reply.turn(
                        new Reply.ToolCall("t1", "get_weather", "{\"city\":\"Atlantis\"}"),
                        new Reply.ToolCall("t2", "get_time", "{\"timezone\":\"Mars/Olympus\"}"),
                        new Reply.ToolCall("t3", "calculate", "{\"expression\":\"Runtime.getRuntime().exit(1)\"}")),
                Reply.text("I could not answer."));

        var run = ExampleRunner.run(example, server.settings(), "openai:gpt-test");

        assertEquals(0, run.exitCode());
        String second = server.requests().get(1).body();
        assertTrue(second.contains("No sample weather for 'Atlantis'"), second);
        assertTrue(second.contains("Unknown time zone 'Mars/Olympus'"), second);
        assertTrue(
                second.contains(
                        "Cannot evaluate 'Runtime.getRuntime().exit(1)': Expected a number, found 'R' at position 1"),
                second);
        server.assertAllConsumed();
    }
}
