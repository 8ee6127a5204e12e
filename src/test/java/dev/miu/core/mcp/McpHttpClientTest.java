package dev.miu.core.mcp;

import dev.miu.core.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against the real {@code @modelcontextprotocol/server-everything} over Streamable HTTP (SSE answers). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class McpHttpClientTest {

    private static NpmMcpServers.HttpEverything server;
    private static StreamableHttpTransport transport;
    private static McpClient client;

    @BeforeAll
    static void start() throws Exception {
        server = NpmMcpServers.HttpEverything.start();
        transport = new StreamableHttpTransport("everything", server.config(Map.of("X-Test-Token", "abc")));
        client = McpClient.connect("everything", transport, McpClient.Options.DEFAULT);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void handshakeGetsASessionAndAVersion() {
        assertNotNull(transport.sessionId(), "the server assigns Mcp-Session-Id at initialize");
        assertEquals("mcp-servers/everything", client.serverInfo().name());
        assertTrue(McpClient.SUPPORTED_PROTOCOL_VERSIONS.contains(
                client.serverInfo().protocolVersion()));
    }

    @Test
    void listsAndCallsToolsOverHttp() throws InterruptedException {
        assertTrue(client.listTools().stream().anyMatch(t -> t.name().equals("get-sum")));
        McpToolResult sum = client.callTool(
                "get-sum", Json.object().add("a", 19).add("b", 23).build());
        assertFalse(sum.isError());
        assertTrue(sum.text().contains("42"), sum.text());
        McpToolResult image = client.callTool("get-tiny-image", Json.EMPTY_OBJECT);
        assertTrue(image.content().stream().anyMatch(McpContent.Image.class::isInstance));
        client.ping();
    }

    @Test
    void concurrentCallsOverHttp() throws Exception {
        List<Thread> threads = new ArrayList<>();
        String[] answers = new String[10];
        for (int i = 0; i < answers.length; i++) {
            int n = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    answers[n] = client.callTool(
                                    "echo",
                                    Json.object().add("message", "m" + n).build())
                            .text();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        for (int i = 0; i < answers.length; i++) {
            assertEquals("Echo: m" + i, answers[i]);
        }
    }

    @Test
    void progressNotificationsOnTheStreamDoNotDisturbTheAnswer() throws InterruptedException {
        McpToolResult result = client.callTool(
                "trigger-long-running-operation",
                Json.object().add("duration", 1).add("steps", 3).build());
        assertTrue(result.text().contains("Long running operation completed"), result.text());
    }

    @Test
    void aTimeoutAbandonsTheStreamAndTheSessionGoesOn() throws InterruptedException {
        var e = assertThrows(
                McpException.class,
                () -> client.callTool(
                        "trigger-long-running-operation",
                        Json.object().add("duration", 5).add("steps", 5).build(),
                        Duration.ofMillis(400)));
        assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
        assertEquals(
                "Echo: after",
                client.callTool("echo", Json.object().add("message", "after").build())
                        .text());
    }

    @Test
    void messagesTheServerStartsArriveOnTheGetStream() throws InterruptedException {
        var logged = new java.util.concurrent.CountDownLatch(1);
        client.onNotification(n -> {
            if (n.method().equals("notifications/message")) {
                logged.countDown();
            }
        });
        client.callTool("toggle-simulated-logging", Json.EMPTY_OBJECT);
        try {
            // Sent outside any request, so only the standalone GET stream can carry it.
            assertTrue(logged.await(12, TimeUnit.SECONDS), "no notifications/message arrived on the GET stream");
        } finally {
            client.callTool("toggle-simulated-logging", Json.EMPTY_OBJECT);
        }
    }

    @Test
    void aClosedPortIsAClearError() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var config = new McpServerConfig.Http(java.net.URI.create("http://127.0.0.1:" + port + "/mcp"), Map.of());
        var e = assertThrows(
                McpException.class, () -> McpClient.connect("nowhere", config, null, McpClient.Options.DEFAULT));
        assertTrue(e.getMessage().contains("Cannot reach MCP server 'nowhere'"), e.getMessage());
    }
}
