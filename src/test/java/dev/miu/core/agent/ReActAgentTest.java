package dev.miu.core.agent;

import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.provider.Provider;
import dev.miu.core.provider.TestOptions;
import dev.miu.core.provider.anthropic.AnthropicProvider;
import dev.miu.core.provider.openai.OpenAiProvider;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolRegistry;
import dev.miu.core.tool.ToolResult;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class ReActAgentTest {

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    static Provider anthropic;
    static Provider openai;

    @BeforeAll
    static void start() {
        anthropic = new AnthropicProvider(ScriptedLlmServer.API_KEY, llm.baseUrl(), TestOptions.FAST);
        openai = new OpenAiProvider("openai", ScriptedLlmServer.API_KEY, llm.openAiBaseUrl(), TestOptions.FAST);
    }

    static final JsonObject CITY_SCHEMA = Json.parseObject(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");

    static Tool weather() {
        return Tool.of(
                "get_weather",
                "Weather for a city",
                CITY_SCHEMA,
                (input, ctx) -> ToolResult.ok("Sunny in " + input.getString("city")));
    }

    static ReActAgent agent(Provider provider, Tool... tools) {
        return new ReActAgent(
                AgentConfig.of("test", provider.name() + ":test-model").withSystemPrompt("Be brief."),
                provider,
                ToolRegistry.of(tools));
    }

    @Test
    void textOnlyTurnIsOneModelCall() {
        llm.enqueue(Reply.text("Hello!"));
        Response response = agent(anthropic, weather()).run("Hi");
        assertEquals("Hello!", response.text());
        assertEquals(StopReason.END_TURN, response.stopReason());
        assertEquals(1, llm.requestCount());
        assertEquals(1, response.iterations());
        assertEquals(List.of(Message.assistant("Hello!")), response.messages());
    }

    @Test
    void toolThenTextIsTwoCallsAndTheResultIsInHistory() {
        llm.enqueue(
                Reply.toolCall("toolu_1", "get_weather", "{\"city\":\"Lisbon\"}")
                        .withUsage(20, 8),
                Reply.text("It is sunny in Lisbon.").withUsage(40, 6));
        Response response = agent(anthropic, weather()).run("Weather in Lisbon?");

        assertEquals(2, llm.requestCount());
        assertEquals("It is sunny in Lisbon.", response.text());
        assertEquals(new Usage(60, 14), response.usage(), "usage summed across the loop");
        assertEquals(3, response.messages().size(), "assistant tool call, tool result, assistant answer");
        var result =
                (ContentBlock.ToolResult) response.messages().get(1).content().getFirst();
        assertEquals("toolu_1", result.toolUseId());
        assertEquals("Sunny in Lisbon", result.content());

        JsonArray secondCall = llm.requests().get(1).json().getJsonArray("messages");
        JsonObject sentResult =
                secondCall.getJsonObject(2).getJsonArray("content").getJsonObject(0);
        assertEquals("tool_result", sentResult.getString("type"));
        assertEquals("Sunny in Lisbon", sentResult.getString("content"));
    }

    @Test
    void aThrowingToolDoesNotStopTheLoop() {
        Tool broken = Tool.of("get_weather", "Weather", CITY_SCHEMA, (input, ctx) -> {
            throw new IllegalStateException("weather service down");
        });
        llm.enqueue(
                Reply.toolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"),
                Reply.text("Sorry, the weather service is down."));
        Response response = agent(openai, broken).run("Weather in Oslo?");

        assertEquals(StopReason.END_TURN, response.stopReason());
        var result =
                (ContentBlock.ToolResult) response.messages().get(1).content().getFirst();
        assertTrue(result.isError());
        assertTrue(result.content().contains("weather service down"));
        String sent = llm.requests()
                .get(1)
                .json()
                .getJsonArray("messages")
                .getJsonObject(3)
                .getString("content");
        assertTrue(sent.contains("weather service down"), "the model sees the failure: " + sent);
    }

    @Test
    void unknownToolsAndSchemaViolationsBecomeErrorResults() {
        llm.enqueue(
                Reply.turn(
                        new Reply.ToolCall("t1", "launch_rocket", "{}"),
                        new Reply.ToolCall("t2", "get_weather", "{\"town\":\"Oslo\"}")),
                Reply.text("ok"));
        Response response = agent(anthropic, weather()).run("?");
        var results = response.messages().get(1).content();
        var unknown = (ContentBlock.ToolResult) results.get(0);
        var invalid = (ContentBlock.ToolResult) results.get(1);
        assertTrue(unknown.isError() && unknown.content().contains("Unknown tool 'launch_rocket'"), unknown.content());
        assertTrue(unknown.content().contains("get_weather"), "lists the available tools");
        assertTrue(
                invalid.isError() && invalid.content().contains("missing required property 'city'"), invalid.content());
    }

    @Test
    void maxIterationsStopsAfterExactlyNCalls() {
        for (int i = 0; i < 3; i++) {
            llm.enqueue(Reply.toolCall("t" + i, "get_weather", "{\"city\":\"Rome\"}"));
        }
        var agent = new ReActAgent(
                AgentConfig.of("loop", "anthropic:test").withMaxIterations(3), anthropic, ToolRegistry.of(weather()));
        Response response = agent.run("Loop forever");
        assertEquals(StopReason.MAX_ITERATIONS, response.stopReason());
        assertEquals(3, llm.requestCount());
        assertEquals(3, response.iterations());
        Message last = response.messages().getLast();
        assertEquals(Role.USER, last.role(), "the last tool call still got its result");
        assertTrue(last.hasToolResults());
    }

    @Test
    void twoToolCallsRunConcurrentlyAndReturnInTheModelsOrder() {
        // Each tool waits for the other to start: run one after the other, both would time out.
        var bothStarted = new CountDownLatch(2);
        Tool slow = Tool.of("get_weather", "Weather", CITY_SCHEMA, (input, ctx) -> {
            bothStarted.countDown();
            if (!bothStarted.await(5, TimeUnit.SECONDS)) {
                return ToolResult.error("ran alone");
            }
            if (input.getString("city").equals("Paris")) {
                Thread.sleep(100); // the first call finishes last; order must still follow the model
            }
            return ToolResult.ok("weather of " + input.getString("city"));
        });
        llm.enqueue(
                Reply.turn(
                        new Reply.ToolCall("a", "get_weather", "{\"city\":\"Paris\"}"),
                        new Reply.ToolCall("b", "get_weather", "{\"city\":\"Rome\"}")),
                Reply.text("Both fine."));
        List<AgentEvent> events = new ArrayList<>();
        Response response = agent(openai, slow).stream("Paris and Rome?", events::add);

        var results = response.messages().get(1).content();
        assertEquals(2, results.size());
        assertEquals(new ContentBlock.ToolResult("a", "weather of Paris", false), results.get(0));
        assertEquals(new ContentBlock.ToolResult("b", "weather of Rome", false), results.get(1));
        List<String> resultIds = events.stream()
                .filter(AgentEvent.ToolResult.class::isInstance)
                .map(e -> ((AgentEvent.ToolResult) e).id())
                .toList();
        assertEquals(List.of("a", "b"), resultIds);
    }

    @Test
    void aStreamEndsWithDoneAfterDeltasToolEventsAndUsage() {
        llm.enqueue(
                Reply.toolCall("toolu_9", "get_weather", "{\"city\":\"Kyiv\"}"), Reply.text("Clear skies over Kyiv"));
        List<AgentEvent> events = new ArrayList<>();
        agent(anthropic, weather()).stream("Kyiv?", events::add);

        assertInstanceOf(
                AgentEvent.ToolCall.class,
                events.stream()
                        .filter(e -> !(e instanceof AgentEvent.UsageUpdate))
                        .findFirst()
                        .orElseThrow());
        var done = assertInstanceOf(AgentEvent.Done.class, events.getLast());
        assertEquals(StopReason.END_TURN, done.stopReason());
        assertEquals(
                2,
                events.stream().filter(AgentEvent.UsageUpdate.class::isInstance).count());
        String text = events.stream()
                .filter(AgentEvent.TextDelta.class::isInstance)
                .map(e -> ((AgentEvent.TextDelta) e).text())
                .reduce("", String::concat);
        assertEquals("Clear skies over Kyiv", text);
        assertEquals(
                1, events.stream().filter(AgentEvent.Done.class::isInstance).count());
    }

    @Test
    void interruptingTheRunEndsItAsCancelledWithValidHistory() throws Exception {
        llm.enqueue(Reply.text("a long and slow answer that will never finish streaming in time")
                .withChunkDelay(Duration.ofMillis(300)));
        var agent = agent(anthropic, weather());
        AtomicReference<Response> result = new AtomicReference<>();
        var firstDelta = new CountDownLatch(1);
        Thread runner = Thread.ofVirtual()
                .start(() -> result.set(agent.stream("Talk", e -> {
                    if (e instanceof AgentEvent.TextDelta) {
                        firstDelta.countDown();
                    }
                })));
        assertTrue(firstDelta.await(10, TimeUnit.SECONDS));
        runner.interrupt();
        runner.join(10_000);
        assertFalse(runner.isAlive());
        assertEquals(StopReason.CANCELLED, result.get().stopReason());
    }

    @Test
    void conversationMustEndWithAUserMessage() {
        var agent = agent(anthropic);
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> agent.run(List.of(Message.assistant("hi")), ToolContext.current()));
    }
}
