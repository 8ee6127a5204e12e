package dev.miu.core.provider;

import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.provider.anthropic.AnthropicProvider;
import dev.miu.core.tool.ToolSpec;
import dev.miu.testing.RecordedRequest;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class AnthropicProviderTest {

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    static Provider provider;

    @BeforeAll
    static void start() {
        provider = new AnthropicProvider(ScriptedLlmServer.API_KEY, llm.baseUrl(), TestOptions.FAST);
    }

    static final ToolSpec WEATHER = new ToolSpec(
            "get_weather",
            "Weather for a city",
            Json.parseObject(
                    "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"));

    static ModelRequest request(List<Message> messages) {
        return new ModelRequest("claude-test", "Be brief.", messages, List.of(WEATHER), 256, 0.2);
    }

    @Test
    void plainTextTurnSendsTheMessagesApiShape() {
        llm.enqueue(Reply.text("Hello there").withUsage(42, 7));
        ModelResponse response = provider.complete(request(List.of(Message.user("Hi"))));

        assertEquals("Hello there", response.text());
        assertEquals(StopReason.END_TURN, response.stopReason());
        assertEquals(new Usage(42, 7), response.usage());
        assertEquals("claude-test", response.model());

        RecordedRequest sent = llm.lastRequest();
        assertEquals("/v1/messages", sent.path());
        assertEquals(ScriptedLlmServer.API_KEY, sent.header("x-api-key"));
        assertEquals("2023-06-01", sent.header("anthropic-version"));
        JsonObject body = sent.json();
        assertEquals("Be brief.", body.getString("system"));
        assertEquals(256, body.getInt("max_tokens"));
        assertEquals("get_weather", body.getJsonArray("tools").getJsonObject(0).getString("name"));
        assertTrue(body.getJsonArray("tools").getJsonObject(0).containsKey("input_schema"));
        assertFalse(body.getBoolean("stream", false));
    }

    @Test
    void streamedTurnEmitsDeltasAndAssemblesTheSameResponse() {
        llm.enqueue(Reply.text("The answer is 42").withUsage(30, 9));
        List<StreamEvent> events = new ArrayList<>();
        ModelResponse response = provider.stream(request(List.of(Message.user("Q"))), events::add);

        assertEquals("The answer is 42", response.text());
        assertEquals(new Usage(30, 9), response.usage());
        long deltas =
                events.stream().filter(StreamEvent.TextDelta.class::isInstance).count();
        assertTrue(deltas > 1, "text arrives in several deltas");
        assertInstanceOf(StreamEvent.Stop.class, events.getLast());
        assertTrue(llm.lastRequest().json().getBoolean("stream"));
    }

    @Test
    void streamedToolCallAssemblesInputJsonDeltas() {
        llm.enqueue(Reply.turn(
                new Reply.Text("Let me check."),
                new Reply.ToolCall("toolu_1", "get_weather", "{\"city\":\"Lisbon\",\"unit\":\"C\"}")));
        List<StreamEvent> events = new ArrayList<>();
        ModelResponse response = provider.stream(request(List.of(Message.user("Weather?"))), events::add);

        assertEquals(StopReason.TOOL_USE, response.stopReason());
        ContentBlock.ToolUse call = response.toolUses().getFirst();
        assertEquals("toolu_1", call.id());
        assertEquals("Lisbon", call.input().getString("city"));
        assertTrue(events.stream()
                        .filter(StreamEvent.ToolInputDelta.class::isInstance)
                        .count()
                > 1);
        assertEquals("Let me check.", response.text());
    }

    @Test
    void toolResultRoundTripUsesToolResultBlocks() {
        llm.enqueue(Reply.text("It is sunny."));
        var history = List.of(
                Message.user("Weather?"),
                new Message(
                        dev.miu.core.message.Role.ASSISTANT,
                        List.of(new ContentBlock.ToolUse(
                                "toolu_1", "get_weather", Json.parseObject("{\"city\":\"Lisbon\"}")))),
                Message.toolResults(List.of(new ContentBlock.ToolResult("toolu_1", "Sunny", false))));
        provider.complete(request(history));

        var messages = llm.lastRequest().json().getJsonArray("messages");
        JsonObject use = messages.getJsonObject(1).getJsonArray("content").getJsonObject(0);
        assertEquals("tool_use", use.getString("type"));
        JsonObject result = messages.getJsonObject(2).getJsonArray("content").getJsonObject(0);
        assertEquals("tool_result", result.getString("type"));
        assertEquals("toolu_1", result.getString("tool_use_id"));
        assertEquals("Sunny", result.getString("content"));
    }

    @Test
    void theWholeRequestBodyIsExactlyTheMessagesApiShape() {
        llm.enqueue(Reply.text("ok"));
        var history = List.of(
                Message.user("Weather?"),
                new Message(
                        dev.miu.core.message.Role.ASSISTANT,
                        List.of(
                                new ContentBlock.Text("Checking."),
                                new ContentBlock.ToolUse(
                                        "toolu_1", "get_weather", Json.parseObject("{\"city\":\"Lisbon\"}")))),
                Message.toolResults(List.of(new ContentBlock.ToolResult("toolu_1", "Sunny, \"warm\" ✓\n", true))));
        provider.stream(request(history), e -> {});

        JsonObject expected = Json.PROVIDER
                .createObjectBuilder(Json.parseObject("""
                {"model":"claude-test","max_tokens":256,"messages":[
                  {"role":"user","content":[{"type":"text","text":"Weather?"}]},
                  {"role":"assistant","content":[{"type":"text","text":"Checking."},
                    {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Lisbon"}}]},
                  {"role":"user","content":[
                    {"type":"tool_result","tool_use_id":"toolu_1","content":"Sunny, \\"warm\\" ✓\\n","is_error":true}]}],
                 "system":"Be brief.","temperature":0.2,"stream":true}"""))
                .add(
                        "tools",
                        Json.array()
                                .add(Json.object()
                                        .add("name", WEATHER.name())
                                        .add("description", WEATHER.description())
                                        .add("input_schema", WEATHER.inputSchema())))
                .build();
        assertEquals(expected, llm.lastRequest().json());
    }

    @Test
    void midStreamErrorEventIsSurfacedWithTheProvidersMessage() {
        llm.enqueue(Reply.streamError("Partial", "overloaded_error", "Overloaded"));
        List<StreamEvent> events = new ArrayList<>();
        var e = assertThrows(
                ProviderException.class, () -> provider.stream(request(List.of(Message.user("Q"))), events::add));
        assertTrue(e.getMessage().contains("overloaded_error"), e.getMessage());
        assertTrue(e.getMessage().contains("Overloaded"), e.getMessage());
        assertEquals(1, llm.requestCount(), "a stream that produced output is not retried");
    }

    @Test
    void httpErrorCarriesTheProvidersMessageButNeverTheKey() {
        llm.enqueue(Reply.status(400, "max_tokens: must be positive"));
        var e = assertThrows(ProviderException.class, () -> provider.complete(request(List.of(Message.user("Q")))));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("max_tokens: must be positive"), e.getMessage());
        assertFalse(e.getMessage().contains(ScriptedLlmServer.API_KEY));
        assertFalse(provider.toString().contains(ScriptedLlmServer.API_KEY));
    }
}
