package dev.miu.core.mcp;

import dev.miu.core.json.Json;
import dev.miu.core.tool.ToolRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streamable HTTP edges against {@link ScriptedMcpHttpServer}: JSON answers, auth headers, paging, sessions, list changes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class McpHttpProtocolTest {

    private static McpServerConfig.Http config(ScriptedMcpHttpServer server, String token) {
        return new McpServerConfig.Http(server.url(), token == null ? Map.of() : Map.of("Authorization", token));
    }

    @Test
    void negotiatesDownSendsHeadersAndPagesThroughTools() throws Exception {
        try (var server = ScriptedMcpHttpServer.start("2025-06-18");
                var client = McpClient.connect(
                        "scripted", config(server, ScriptedMcpHttpServer.TOKEN), null, McpClient.Options.DEFAULT)) {
            assertEquals("2025-06-18", client.serverInfo().protocolVersion());
            List<McpTool> tools = client.listTools();
            assertEquals(
                    List.of("alpha", "beta", "gamma", "delta", "epsilon"),
                    tools.stream().map(McpTool::name).toList());
            assertEquals("ran beta", client.callTool("beta", Json.EMPTY_OBJECT).text());
            // After initialize every request carries the session and the agreed version.
            assertTrue(
                    server.log.contains("POST notifications/initialized session=session-1 version=2025-06-18"),
                    server.log.toString());
            assertTrue(
                    server.log.contains("POST tools/call session=session-1 version=2025-06-18"), server.log.toString());
            assertTrue(server.log.getFirst().startsWith("POST initialize session=null"), server.log.toString());
        }
    }

    @Test
    void toolCallsCarryTheCurrentTraceContext() throws Exception {
        var sdk = io.opentelemetry.sdk.OpenTelemetrySdk.builder()
                .setTracerProvider(io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
                        // OpenTelemetry 1.68 gives a provider without a span processor invalid (non-recording) spans
                        .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
                                io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create()))
                        .build())
                .setPropagators(io.opentelemetry.context.propagation.ContextPropagators.create(
                        io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance()))
                .build();
        var previous = dev.miu.core.tracing.Tracing.install(new dev.miu.core.tracing.Tracing(sdk, false, null));
        try (var server = ScriptedMcpHttpServer.start("2025-06-18");
                var client = McpClient.connect(
                        "scripted", config(server, ScriptedMcpHttpServer.TOKEN), null, McpClient.Options.DEFAULT)) {
            var span = sdk.getTracer("test").spanBuilder("execute_tool alpha").startSpan();
            try (var ignored = span.makeCurrent()) {
                assertEquals(
                        "ran alpha", client.callTool("alpha", Json.EMPTY_OBJECT).text());
            } finally {
                span.end();
            }
            String traceId = span.getSpanContext().getTraceId();
            assertTrue(
                    server.traceparents.stream()
                            .anyMatch(t -> t.contains(traceId)
                                    && t.contains(span.getSpanContext().getSpanId())),
                    server.traceparents.toString());
        } finally {
            dev.miu.core.tracing.Tracing.install(previous);
        }
    }

    @Test
    void goesThroughTheHttpProxyOfTheEnvironment() throws Exception {
        try (var server = ScriptedMcpHttpServer.start("2025-06-18");
                var proxy = dev.miu.testing.RecordingProxy.start()) {
            // mcp.test resolves only at the proxy: a working session went through it
            var config = new McpServerConfig.Http(
                    java.net.URI.create("http://mcp.test:" + server.url().getPort() + "/mcp"),
                    Map.of("Authorization", ScriptedMcpHttpServer.TOKEN),
                    dev.miu.core.http.ProxySettings.fromEnvironment(Map.of("HTTP_PROXY", proxy.url())));
            try (var client = McpClient.connect("proxied", config, null, McpClient.Options.DEFAULT)) {
                assertEquals(
                        "ran alpha", client.callTool("alpha", Json.EMPTY_OBJECT).text());
            }
            assertTrue(
                    proxy.seen().stream().anyMatch(s -> s.requestLine().startsWith("POST http://mcp.test:")),
                    proxy.seen().toString());
        }
    }

    @Test
    void anUnsupportedVersionIsRefused() throws Exception {
        try (var server = ScriptedMcpHttpServer.start("2023-01-01")) {
            var e = assertThrows(
                    McpException.class,
                    () -> McpClient.connect(
                            "old", config(server, ScriptedMcpHttpServer.TOKEN), null, McpClient.Options.DEFAULT));
            assertTrue(e.getMessage().contains("speaks protocol version 2023-01-01"), e.getMessage());
        }
    }

    @Test
    void aMissingTokenIsExplained() throws Exception {
        try (var server = ScriptedMcpHttpServer.start("2025-06-18")) {
            var e = assertThrows(
                    McpException.class,
                    () -> McpClient.connect("locked", config(server, null), null, McpClient.Options.DEFAULT));
            assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
            assertTrue(e.getMessage().contains("Authorization"), e.getMessage());
        }
    }

    @Test
    void aForgottenSessionIsReinitializedOnce() throws Exception {
        try (var server = ScriptedMcpHttpServer.start("2025-06-18");
                var client = McpClient.connect(
                        "scripted", config(server, ScriptedMcpHttpServer.TOKEN), null, McpClient.Options.DEFAULT)) {
            server.expireSessions();
            assertEquals(
                    "ran alpha", client.callTool("alpha", Json.EMPTY_OBJECT).text());
            assertTrue(
                    server.log.contains("POST tools/call session=session-2 version=2025-06-18"), server.log.toString());
        }
    }

    @Test
    void toolListChangesOnTheGetStreamUpdateTheRegistry() throws Exception {
        try (var server = ScriptedMcpHttpServer.start("2025-11-25");
                var servers = McpServers.start(
                        Map.of("scripted", config(server, ScriptedMcpHttpServer.TOKEN)),
                        null,
                        McpClient.Options.DEFAULT)) {
            var registry = servers.registerInto(new ToolRegistry());
            assertEquals(5, registry.tools().size());
            waitFor(() -> server.openGetStreams() == 1, "the client never opened its GET stream");
            server.addToolAndAnnounce("zeta");
            waitFor(() -> registry.get("scripted__zeta").isPresent(), "the new tool never reached the registry");
            assertEquals(6, registry.tools().size());
            assertEquals(6, servers.states().getFirst().tools().size());

            var status = servers.toJson().getJsonArray("servers").getJsonObject(0);
            assertEquals("http", status.getString("transport"));
            assertEquals(server.url().toString(), status.getString("target"));
            assertEquals("2025-11-25", status.getJsonObject("server").getString("protocolVersion"));
            assertEquals(6, status.getJsonArray("tools").size());
            assertTrue(
                    !servers.toJson().toString().contains("secret-token"), "header values never appear in the status");
        }
    }

    @Test
    void aBrokenAnswerStreamIsResumedWithLastEventId() throws Exception {
        try (var server = ScriptedMcpHttpServer.start("2025-11-25");
                var client = McpClient.connect(
                        "scripted", config(server, ScriptedMcpHttpServer.TOKEN), null, McpClient.Options.DEFAULT)) {
            assertEquals(
                    "resumed answer",
                    client.callTool("resumable", Json.EMPTY_OBJECT).text());
            assertTrue(server.log.stream().anyMatch(l -> l.startsWith("GET resume ev-")), server.log.toString());
        }
    }

    @Test
    void requestsTheServerSendsOnAStreamAreAnswered() throws Exception {
        try (var server = ScriptedMcpHttpServer.start("2025-06-18");
                var client = McpClient.connect(
                        "scripted", config(server, ScriptedMcpHttpServer.TOKEN), null, McpClient.Options.DEFAULT)) {
            assertEquals(
                    "client replied to 2 requests",
                    client.callTool("asks-client", Json.EMPTY_OBJECT).text());
            // miu offers no roots: "method not found"; a ping gets an empty result.
            assertEquals(
                    -32601,
                    server.clientReplies.get("srv-1").getJsonObject("error").getInt("code"));
            assertEquals(Json.EMPTY_OBJECT, server.clientReplies.get("srv-2").getJsonObject("result"));
        }
    }

    @Test
    void closingEndsTheSession() throws Exception {
        try (var server = ScriptedMcpHttpServer.start("2025-06-18")) {
            var client = McpClient.connect(
                    "scripted", config(server, ScriptedMcpHttpServer.TOKEN), null, McpClient.Options.DEFAULT);
            client.close();
            assertTrue(server.log.contains("DELETE session-1"), server.log.toString());
            var e = assertThrows(McpException.class, client::ping);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String failure) {
        await(failure)
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }
}
