package dev.miu.core.pattern;

import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.message.Message;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.Providers;
import dev.miu.core.provider.RetryPolicy;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolRegistry;
import dev.miu.core.tracing.GenAi;
import dev.miu.core.tracing.Tracing;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Orchestrator, pipeline and router runs are spans, and the agents they run are their children, across threads. */
@Timeout(30)
class PatternTracingTest {

    InMemorySpanExporter exporter;
    Tracing previous;

    @RegisterExtension
    final ScriptedLlmServer server = ScriptedLlmServer.start();

    @BeforeEach
    void install() {
        exporter = InMemorySpanExporter.create();
        var sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .build();
        previous = Tracing.install(new Tracing(sdk, false, null));
    }

    @AfterEach
    void restore() {
        Tracing.install(previous);
    }

    SpanData named(String name) {
        return exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in "
                        + exporter.getFinishedSpanItems().stream()
                                .map(SpanData::getName)
                                .toList()));
    }

    @Test
    void orchestratorTasksOnTheirOwnThreadsAreChildrenOfTheRun() {
        server.enqueue(Reply.text("one"), Reply.text("two"));
        Orchestrator.builder("plan")
                .agent("a", TestAgents.scripted(server, "alpha", "anthropic:claude-test"))
                .agent("b", TestAgents.scripted(server, "beta", "anthropic:claude-test"))
                .build()
                .run(List.of(Task.of("x", "a", "first"), Task.of("y", "b", "second")));
        SpanData run = named("orchestrate plan");
        assertEquals(
                "orchestrate",
                run.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("gen_ai.operation.name")));
        assertEquals(run.getSpanId(), named("invoke_agent alpha").getParentSpanId());
        assertEquals(run.getSpanId(), named("invoke_agent beta").getParentSpanId());
    }

    @Test
    void pipelineAndRouterRunsAreSpans() {
        server.enqueue(Reply.text("draft"), Reply.text("final"), Reply.text("routed"));
        var writer = TestAgents.scripted(server, "writer", "anthropic:claude-test");
        new Pipeline("doc", List.of(Stage.of("draft", writer), Stage.of("polish", writer)), true).run("Write");
        SpanData pipeline = named("pipeline doc");
        assertEquals(
                2,
                exporter.getFinishedSpanItems().stream()
                        .filter(s -> s.getName().equals("invoke_agent writer")
                                && s.getParentSpanId().equals(pipeline.getSpanId()))
                        .count());

        Router.builder("desk")
                .defaultRoute("general", "anything", TestAgents.scripted(server, "generalist", "anthropic:claude-test"))
                .build()
                .run("Hello");
        SpanData route = named("route desk");
        assertEquals(
                "general",
                route.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("miu.route.chosen")));
        assertEquals(route.getSpanId(), named("invoke_agent generalist").getParentSpanId());
    }

    @Test
    void aHostedCompositeNamesItsAgentAndParentsItsSubAgentsAsAnAgentToolsCallParentsItsRun() {
        server.enqueue(Reply.text("routed"));
        Router.builder("desk")
                .defaultRoute("general", "anything", TestAgents.scripted(server, "generalist", "anthropic:claude-test"))
                .build()
                .asAgent()
                .stream(List.of(Message.user("Hello")), ToolContext.current().withSessionId("s-1"), e -> {});
        SpanData route = named("route desk");
        assertEquals("desk", route.getAttributes().get(GenAi.AGENT_NAME));
        assertEquals("s-1", route.getAttributes().get(GenAi.CONVERSATION_ID));
        SpanData generalist = named("invoke_agent generalist");
        assertEquals(route.getSpanId(), generalist.getParentSpanId());
        assertEquals("generalist", generalist.getAttributes().get(GenAi.AGENT_NAME));

        server.enqueue(
                Reply.toolCall("c1", "researcher", "{\"task\":\"Find it\"}"), Reply.text("found"), Reply.text("done"));
        var providers = new Providers(server.settings(), ProviderOptions.DEFAULT.withRetry(RetryPolicy.NONE));
        new ReActAgent(
                        AgentConfig.of("writer", "anthropic:claude-test"),
                        providers.create(ModelSpec.parse("anthropic:claude-test")),
                        ToolRegistry.of(AgentTool.of(
                                TestAgents.scripted(server, "researcher", "anthropic:claude-test"), "Researches")))
                .run("Go");
        assertEquals(
                named("execute_tool researcher").getSpanId(),
                named("invoke_agent researcher").getParentSpanId());
        assertEquals(
                named("invoke_agent writer").getSpanId(),
                named("execute_tool researcher").getParentSpanId());
    }
}
