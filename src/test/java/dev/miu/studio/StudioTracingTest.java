package dev.miu.studio;

import dev.miu.core.json.Json;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolResult;
import dev.miu.core.tracing.RecentTraces;
import dev.miu.core.tracing.Tracing;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A studio chat is one trace: the server span (continuing the caller's traceparent), the agent, model and tool spans. */
@Timeout(30)
class StudioTracingTest {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    static WebServer server;
    static Api api;
    static Tracing previous;

    @BeforeAll
    static void start() {
        var recent = new RecentTraces(20, 100);
        var sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(
                        SdkTracerProvider.builder().addSpanProcessor(recent).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        previous = Tracing.install(new Tracing(sdk, false, recent));
        Tool clock = Tool.of(
                "clock", "The time", Json.parseObject("{\"type\":\"object\"}"), (in, ctx) -> ToolResult.ok("noon"));
        server = StudioServer.start(StudioFixtures.studio(llm.settings(), StudioTools.of(clock)));
        api = new Api(URI.create("http://127.0.0.1:" + server.port()));
    }

    @AfterAll
    static void stop() {
        Tracing.install(previous);
        server.stop();
    }

    @Test
    void aChatTurnIsOneTraceShownBySession() {
        String id = api.post("/api/v1/sessions", "{\"model\":\"anthropic:claude-test\"}")
                .json()
                .getString("id");
        llm.enqueue(Reply.toolCall("t1", "clock", "{}"), Reply.text("It is noon."));
        var r = api.withHeaders("traceparent", TRACEPARENT)
                .post("/api/v1/chat/invoke", "{\"session_id\":\"" + id + "\",\"message\":\"Time?\"}");
        assertEquals(200, r.status(), r.body());
        String sent = llm.lastRequest().header("traceparent");
        assertTrue(sent != null && sent.contains(TRACE_ID), "provider call continues the caller's trace: " + sent);

        // the server span ends once the response is written, so it may land just after the client has the answer
        JsonObject body = await("the server span")
                .atMost(Duration.ofSeconds(20))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () -> api.get("/api/v1/traces?session_id=" + id).json(),
                        traces -> traces.toString().contains("POST /api/v1/chat/invoke"));
        assertTrue(body.getBoolean("enabled"));
        JsonArray traces = body.getJsonArray("traces");
        assertEquals(1, traces.size(), traces.toString());
        JsonObject trace = traces.getJsonObject(0);
        assertEquals(TRACE_ID, trace.getString("trace_id"));
        List<String> names = trace.getJsonArray("spans").stream()
                .map(v -> v.asJsonObject().getString("name"))
                .toList();
        assertTrue(names.contains("POST /api/v1/chat/invoke"), names.toString());
        assertTrue(names.contains("invoke_agent assistant"), names.toString()); // the session's agent
        assertEquals(2, names.stream().filter(n -> n.equals("chat claude-test")).count(), names.toString());
        assertTrue(names.contains("execute_tool clock"), names.toString());
        JsonObject server = trace.getJsonArray("spans").stream()
                .map(v -> v.asJsonObject())
                .filter(s -> s.getString("name").startsWith("POST"))
                .findFirst()
                .orElseThrow();
        assertEquals(200, server.getJsonObject("attributes").getInt("http.response.status_code"));
        assertEquals(
                "00f067aa0ba902b7", server.getString("parent_id"), "the server span's parent is the caller's span");

        String other = api.post("/api/v1/sessions", "{}").json().getString("id");
        assertEquals(
                0,
                api.get("/api/v1/traces?session_id=" + other)
                        .json()
                        .getJsonArray("traces")
                        .size());
        assertEquals(400, api.get("/api/v1/traces?session_id=../etc").status());
        assertEquals(
                1,
                api.get("/api/v1/traces").json().getJsonArray("traces").size(),
                "requests that ran no agent are not kept");
        llm.assertAllConsumed();
    }
}
