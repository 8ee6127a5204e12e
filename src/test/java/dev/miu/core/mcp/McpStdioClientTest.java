package dev.miu.core.mcp;

import dev.miu.core.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against the real {@code @modelcontextprotocol/server-everything} over stdio. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class McpStdioClientTest {

    private static McpClient client;
    private static final CountDownLatch toolsChanged = new CountDownLatch(1);

    @BeforeAll
    static void connect() throws InterruptedException {
        client = McpClient.create("everything", NpmMcpServers.everythingStdio(), null, McpClient.Options.DEFAULT);
        client.onToolsChanged(toolsChanged::countDown);
        client.start();
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void handshakeNegotiatesAVersionAndReadsServerInfo() {
        McpServerInfo info = client.serverInfo();
        assertEquals("mcp-servers/everything", info.name());
        assertTrue(McpClient.SUPPORTED_PROTOCOL_VERSIONS.contains(info.protocolVersion()), info.protocolVersion());
        assertTrue(info.hasTools());
        assertTrue(info.toolsListChanged());
    }

    @Test
    void listsToolsWithTheirSchemas() throws InterruptedException {
        List<McpTool> tools = client.listTools();
        McpTool sum = tools.stream()
                .filter(t -> t.name().equals("get-sum"))
                .findFirst()
                .orElseThrow();
        assertEquals("object", sum.inputSchema().getString("type"));
        assertTrue(
                sum.inputSchema().getJsonObject("properties").containsKey("a"),
                sum.inputSchema().toString());
        assertTrue(tools.stream().anyMatch(t -> t.name().equals("echo")));
    }

    @Test
    void callsAToolAndReadsText() throws InterruptedException {
        McpToolResult result = client.callTool(
                "echo", Json.object().add("message", "hello mcp").build());
        assertFalse(result.isError());
        assertEquals("Echo: hello mcp", result.text());
    }

    @Test
    void readsImageContent() throws InterruptedException {
        McpToolResult result = client.callTool("get-tiny-image", Json.EMPTY_OBJECT);
        McpContent.Image image = result.content().stream()
                .filter(McpContent.Image.class::isInstance)
                .map(McpContent.Image.class::cast)
                .findFirst()
                .orElseThrow();
        assertEquals("image/png", image.mimeType());
        byte[] png = java.util.Base64.getDecoder().decode(image.data());
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        assertTrue(result.text().contains("[image: image/png, " + png.length + " bytes]"), result.text());
    }

    @Test
    void readsEmbeddedResourceContent() throws InterruptedException {
        McpToolResult result = client.callTool(
                "get-resource-reference",
                Json.object().add("resourceType", "Text").add("resourceId", 3).build());
        assertFalse(result.isError(), result.text());
        McpContent.Resource resource = result.content().stream()
                .filter(McpContent.Resource.class::isInstance)
                .map(McpContent.Resource.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError(result.content()));
        assertTrue(resource.uri().startsWith("demo://resource/"), resource.uri());
        assertNotNull(resource.text());
        assertTrue(result.text().contains("[resource " + resource.uri()), result.text());
    }

    @Test
    void aFailingToolIsAnErrorResultNotAnException() throws InterruptedException {
        McpToolResult result = client.callTool(
                "get-resource-reference",
                Json.object()
                        .add("resourceType", "Nonsense")
                        .add("resourceId", 1)
                        .build());
        assertTrue(result.isError());
        assertTrue(result.text().contains("resourceType"), result.text());
    }

    @Test
    void manyConcurrentCallsEachGetTheirOwnAnswer() throws Exception {
        List<Thread> threads = new ArrayList<>();
        String[] answers = new String[20];
        for (int i = 0; i < answers.length; i++) {
            int n = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    answers[n] = client.callTool(
                                    "get-sum",
                                    Json.object().add("a", n).add("b", 1000).build())
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
            assertTrue(answers[i] != null && answers[i].contains(String.valueOf(i + 1000)), i + ": " + answers[i]);
        }
    }

    @Test
    void aSlowCallTimesOutAndTheConnectionStaysUsable() throws InterruptedException {
        var e = assertThrows(
                McpException.class,
                () -> client.callTool(
                        "trigger-long-running-operation",
                        Json.object().add("duration", 5).add("steps", 5).build(),
                        Duration.ofMillis(500)));
        assertTrue(e.getMessage().contains("did not answer tools/call within 500 ms"), e.getMessage());
        client.ping();
        assertEquals(
                "Echo: still here",
                client.callTool(
                                "echo",
                                Json.object().add("message", "still here").build())
                        .text());
    }

    @Test
    void anInterruptedCallIsCancelled() throws Exception {
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                client.callTool(
                        "trigger-long-running-operation",
                        Json.object().add("duration", 5).add("steps", 5).build());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Thread.sleep(300);
        caller.interrupt();
        caller.join(10_000);
        assertFalse(caller.isAlive());
        assertInstanceOf(InterruptedException.class, failure.get());
        client.ping();
    }

    @Test
    void anUnknownToolIsReported() throws InterruptedException {
        try {
            McpToolResult result = client.callTool("no-such-tool", Json.EMPTY_OBJECT);
            assertTrue(result.isError());
            assertTrue(result.text().contains("no-such-tool"), result.text());
        } catch (McpException e) {
            assertTrue(e.getMessage().contains("no-such-tool"), e.getMessage());
        }
    }

    @Test
    void theServerAnnouncesToolsItRegistersAfterInitialize() throws InterruptedException {
        // server-everything registers capability-dependent tools once initialized and sends tools/list_changed.
        assertTrue(toolsChanged.await(10, TimeUnit.SECONDS), "no notifications/tools/list_changed arrived");
        assertTrue(client.listTools().stream()
                .anyMatch(t -> t.name().equals("simulate-research-query") && t.taskRequired()));
    }
}
