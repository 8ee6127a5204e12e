package dev.miu.core.tracing;

import com.sun.net.httpserver.HttpServer;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.json.Json;
import dev.miu.core.message.Message;
import dev.miu.core.provider.TestOptions;
import dev.miu.core.provider.anthropic.AnthropicProvider;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolRegistry;
import dev.miu.core.tool.ToolResult;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class AgentTracingTest {

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    static ReActAgent agent() {
        Tool weather = Tool.of(
                "get_weather",
                "Weather",
                Json.parseObject("{\"type\":\"object\"}"),
                (input, ctx) -> input.containsKey("fail") ? ToolResult.error("no data") : ToolResult.ok("Sunny"));
        return new ReActAgent(
                AgentConfig.of("forecaster", "anthropic:claude-test"),
                new AnthropicProvider(ScriptedLlmServer.API_KEY, llm.baseUrl(), TestOptions.FAST),
                ToolRegistry.of(weather));
    }

    static void scriptToolTurn() {
        llm.enqueue(
                Reply.turn(
                                new Reply.ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"),
                                new Reply.ToolCall("call_2", "get_weather", "{\"fail\":true}"))
                        .withUsage(20, 10),
                Reply.text("Sunny in Oslo.").withUsage(30, 5));
    }

    @Test
    void agentTurnWithToolsMakesANestedSpanTreeWithGenAiAttributes() {
        var exporter = InMemorySpanExporter.create();
        var sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        Tracing previous = Tracing.install(new Tracing(sdk, false, null));
        try {
            scriptToolTurn();
            agent().run(List.of(Message.user("Weather?")), new ToolContext(Path.of("."), "session-42"));
        } finally {
            Tracing.install(previous);
        }

        List<SpanData> spans = exporter.getFinishedSpanItems();
        SpanData root = only(spans, "invoke_agent forecaster");
        assertFalse(root.getParentSpanContext().isValid());
        assertEquals("invoke_agent", root.getAttributes().get(GenAi.OPERATION_NAME));
        assertEquals("session-42", root.getAttributes().get(GenAi.CONVERSATION_ID));
        assertEquals(50L, root.getAttributes().get(GenAi.USAGE_INPUT_TOKENS));
        assertEquals(15L, root.getAttributes().get(GenAi.USAGE_OUTPUT_TOKENS));

        List<SpanData> chats = spans.stream()
                .filter(s -> s.getName().equals("chat claude-test"))
                .toList();
        assertEquals(2, chats.size());
        for (SpanData chat : chats) {
            assertEquals(root.getSpanId(), chat.getParentSpanId());
            assertEquals(SpanKind.CLIENT, chat.getKind());
            assertEquals("anthropic", chat.getAttributes().get(GenAi.PROVIDER_NAME));
            assertEquals("claude-test", chat.getAttributes().get(GenAi.REQUEST_MODEL));
            assertEquals("claude-test", chat.getAttributes().get(GenAi.RESPONSE_MODEL));
            assertEquals("session-42", chat.getAttributes().get(GenAi.CONVERSATION_ID));
            assertNull(chat.getAttributes().get(GenAi.INPUT_MESSAGES), "no content unless capture-content is on");
        }
        assertEquals(List.of("tool_use"), chats.get(0).getAttributes().get(GenAi.RESPONSE_FINISH_REASONS));
        assertEquals(20L, chats.get(0).getAttributes().get(GenAi.USAGE_INPUT_TOKENS));

        List<SpanData> tools = spans.stream()
                .filter(s -> s.getName().equals("execute_tool get_weather"))
                .toList();
        assertEquals(2, tools.size(), "both parallel tool calls traced");
        for (SpanData tool : tools) {
            assertEquals(root.getSpanId(), tool.getParentSpanId(), "parented across virtual threads");
            assertEquals("get_weather", tool.getAttributes().get(GenAi.TOOL_NAME));
        }
        SpanData failed = tools.stream()
                .filter(t -> "call_2".equals(t.getAttributes().get(GenAi.TOOL_CALL_ID)))
                .findFirst()
                .orElseThrow();
        assertEquals(StatusCode.ERROR, failed.getStatus().getStatusCode());

        // W3C traceparent went out on the provider call, carrying the chat span's context
        String traceparent = llm.requests().getFirst().header("traceparent");
        assertTrue(
                traceparent != null
                        && traceparent.contains(chats.get(0).getTraceId())
                        && traceparent.contains(chats.get(0).getSpanId()),
                "traceparent " + traceparent);
    }

    @Test
    void contentIsRecordedOnlyWhenCaptureIsOn() {
        var exporter = InMemorySpanExporter.create();
        var sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .build();
        Tracing previous = Tracing.install(new Tracing(sdk, true, null));
        try {
            llm.enqueue(Reply.text("Hi back"));
            agent().run("Hi there");
        } finally {
            Tracing.install(previous);
        }
        SpanData chat = only(exporter.getFinishedSpanItems(), "chat claude-test");
        assertTrue(chat.getAttributes().get(GenAi.INPUT_MESSAGES).contains("Hi there"));
        assertTrue(chat.getAttributes().get(GenAi.OUTPUT_MESSAGES).contains("Hi back"));
    }

    @Test
    void spansAreExportedOverOtlpHttpToACollector() throws Exception {
        List<byte[]> received = new CopyOnWriteArrayList<>();
        List<String> contentTypes = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            try (exchange) {
                var body = new ByteArrayOutputStream();
                exchange.getRequestBody().transferTo(body);
                received.add(body.toByteArray());
                contentTypes.add(exchange.getRequestHeaders().getFirst("content-type"));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        collector.start();
        try {
            String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
            Tracing tracing = TracingSetup.create(new TracingSettings(true, endpoint, "miu-test", false, 10));
            Tracing previous = Tracing.install(tracing);
            try {
                scriptToolTurn();
                agent().run("Weather?");
            } finally {
                Tracing.install(previous);
                TracingSetup.shutdown(tracing); // flushes the batch processor
            }
            assertFalse(received.isEmpty(), "the collector received an export");
            assertEquals("application/x-protobuf", contentTypes.getFirst());
            String payload = new String(received.getFirst(), StandardCharsets.ISO_8859_1);
            assertTrue(payload.contains("invoke_agent forecaster"));
            assertTrue(payload.contains("execute_tool get_weather"));
            assertTrue(payload.contains("miu-test"), "service.name travels in the resource");
            assertEquals(
                    1,
                    Json.parse(Json.write(tracing.recent().toJson(null)))
                            .asJsonArray()
                            .size());
        } finally {
            collector.stop(0);
        }
    }

    static SpanData only(List<SpanData> spans, String name) {
        List<SpanData> matching =
                spans.stream().filter(s -> s.getName().equals(name)).toList();
        assertEquals(
                1,
                matching.size(),
                "spans named " + name + " in "
                        + spans.stream().map(SpanData::getName).toList());
        return matching.getFirst();
    }
}
