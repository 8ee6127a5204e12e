package dev.miu.core.provider;

import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.provider.openai.OpenAiProvider;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import jakarta.json.JsonArray;
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
class OpenAiProviderTest {

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    static Provider provider;

    @BeforeAll
    static void start() {
        provider = new OpenAiProvider("openai", ScriptedLlmServer.API_KEY, llm.openAiBaseUrl(), TestOptions.FAST);
    }

    static ModelRequest request(List<Message> messages) {
        return new ModelRequest("gpt-test", "Be brief.", messages, List.of(AnthropicProviderTest.WEATHER), 128, null);
    }

    @Test
    void plainCompletionSendsChatCompletionsShape() {
        llm.enqueue(Reply.text("Hi!").withUsage(11, 3));
        ModelResponse response = provider.complete(request(List.of(Message.user("Hello"))));

        assertEquals("Hi!", response.text());
        assertEquals(new Usage(11, 3), response.usage());
        var sent = llm.lastRequest();
        assertEquals("/v1/chat/completions", sent.path());
        assertEquals("Bearer " + ScriptedLlmServer.API_KEY, sent.header("authorization"));
        JsonArray messages = sent.json().getJsonArray("messages");
        assertEquals("system", messages.getJsonObject(0).getString("role"));
        assertEquals("Be brief.", messages.getJsonObject(0).getString("content"));
        assertEquals(
                "function", sent.json().getJsonArray("tools").getJsonObject(0).getString("type"));
        assertEquals(128, sent.json().getInt("max_tokens"), "compatible servers get max_tokens");
    }

    @Test
    void streamAssemblesSeveralToolCallsByIndexAndReadsTheUsageChunk() {
        llm.enqueue(Reply.turn(
                        new Reply.ToolCall("call_a", "get_weather", "{\"city\":\"Paris\"}"),
                        new Reply.ToolCall("call_b", "get_weather", "{\"city\":\"Rome\"}"))
                .withUsage(50, 20));
        List<StreamEvent> events = new ArrayList<>();
        ModelResponse response = provider.stream(request(List.of(Message.user("Two cities"))), events::add);

        assertEquals(StopReason.TOOL_USE, response.stopReason());
        List<ContentBlock.ToolUse> calls = response.toolUses();
        assertEquals(2, calls.size());
        assertEquals("call_a", calls.get(0).id());
        assertEquals("Paris", calls.get(0).input().getString("city"));
        assertEquals("call_b", calls.get(1).id());
        assertEquals("Rome", calls.get(1).input().getString("city"));
        assertEquals(new Usage(50, 20), response.usage());
        assertInstanceOf(StreamEvent.Stop.class, events.getLast());

        JsonObject body = llm.lastRequest().json();
        assertTrue(body.getBoolean("stream"));
        assertTrue(body.getJsonObject("stream_options").getBoolean("include_usage"));
    }

    @Test
    void historyBecomesAssistantToolCallsAndToolMessages() {
        llm.enqueue(Reply.text("Done."));
        var history = List.of(
                Message.user("Weather?"),
                new Message(
                        Role.ASSISTANT,
                        List.of(
                                new ContentBlock.Text("Checking."),
                                new ContentBlock.ToolUse(
                                        "call_1", "get_weather", Json.parseObject("{\"city\":\"Oslo\"}")))),
                Message.toolResults(List.of(new ContentBlock.ToolResult("call_1", "boom", true))));
        provider.stream(request(history), e -> {});

        JsonArray messages = llm.lastRequest().json().getJsonArray("messages");
        JsonObject assistant = messages.getJsonObject(2);
        assertEquals("assistant", assistant.getString("role"));
        assertEquals("Checking.", assistant.getString("content"));
        JsonObject call = assistant.getJsonArray("tool_calls").getJsonObject(0);
        assertEquals("call_1", call.getString("id"));
        assertEquals("{\"city\":\"Oslo\"}", call.getJsonObject("function").getString("arguments"));
        JsonObject tool = messages.getJsonObject(3);
        assertEquals("tool", tool.getString("role"));
        assertEquals("call_1", tool.getString("tool_call_id"));
        assertTrue(tool.getString("content").contains("boom"));
    }

    @Test
    void theWholeRequestBodyIsExactlyTheChatCompletionsShape() {
        llm.enqueue(Reply.text("Done."));
        var history = List.of(
                Message.user("Weather?"),
                new Message(
                        Role.ASSISTANT,
                        List.of(new ContentBlock.ToolUse(
                                "call_1", "get_weather", Json.parseObject("{\"city\":\"Oslo\"}")))),
                new Message(
                        Role.USER,
                        List.of(
                                new ContentBlock.ToolResult("call_1", "boom", true),
                                new ContentBlock.ToolResult("call_2", "ok ✓", false),
                                new ContentBlock.Text("and then?"))),
                Message.assistant("Fine."));
        provider.stream(
                new ModelRequest("gpt-test", null, history, List.of(AnthropicProviderTest.WEATHER), 64, 0.5), e -> {});

        JsonObject expected = Json.PROVIDER
                .createObjectBuilder(Json.parseObject("""
                {"model":"gpt-test","messages":[
                  {"role":"user","content":"Weather?"},
                  {"role":"assistant","content":null,"tool_calls":[
                    {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"Error: boom"},
                  {"role":"tool","tool_call_id":"call_2","content":"ok ✓"},
                  {"role":"user","content":"and then?"},
                  {"role":"assistant","content":"Fine."}],
                 "max_tokens":64,"temperature":0.5,"stream":true,"stream_options":{"include_usage":true}}"""))
                .add(
                        "tools",
                        Json.array()
                                .add(Json.object()
                                        .add("type", "function")
                                        .add(
                                                "function",
                                                Json.object()
                                                        .add("name", "get_weather")
                                                        .add("description", AnthropicProviderTest.WEATHER.description())
                                                        .add(
                                                                "parameters",
                                                                AnthropicProviderTest.WEATHER.inputSchema()))))
                .build();
        assertEquals(expected, llm.lastRequest().json());
    }

    @Test
    void errorsCarryTheProvidersMessage() {
        llm.enqueue(Reply.status(401, "Incorrect API key provided"));
        var e = assertThrows(ProviderException.class, () -> provider.complete(request(List.of(Message.user("Q")))));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("Incorrect API key provided"));
        assertFalse(e.getMessage().contains(ScriptedLlmServer.API_KEY));
        assertEquals(1, llm.requestCount(), "401 is not retried");
    }

    @Test
    void ollamaPresetPointsAtTheOpenAiCompatibleEndpoint() {
        var settings = new ProviderSettings(null, null, null, null, llm.baseUrl(), null, null);
        Provider ollama = new Providers(settings, TestOptions.FAST).create(ModelSpec.parse("ollama:llama3.2"));
        assertEquals("ollama", ollama.name());
        llm.enqueue(Reply.text("local"));
        assertEquals(
                "local",
                ollama.complete(new ModelRequest("llama3.2", null, List.of(Message.user("x")), List.of(), 10, null))
                        .text());
        assertEquals("/v1/chat/completions", llm.lastRequest().path());
        assertEquals(null, llm.lastRequest().header("authorization"));
    }
}
