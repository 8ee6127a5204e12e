package dev.miu.studio.a2a;

import dev.miu.config.ServerSettings;
import dev.miu.core.json.Json;
import dev.miu.core.mcp.McpServers;
import dev.miu.studio.Studio;
import dev.miu.studio.StudioFixtures;
import dev.miu.studio.TestCatalog;
import dev.miu.studio.session.FileSessionRepository;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official A2A client, {@code @a2a-js/sdk} 1.3 (A2A 1.0 over JSON-RPC), against a miu server with an API key:
 * it reads the card, sends messages (a second one in the first's context continues the same miu session), streams
 * one, reads a task back, cancels a running one, and gets the specification's errors.
 */
@ServerTest
@Timeout(120)
class A2aSdkClientTest {

    static final String KEY = "a2a-test-key";

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private static final Path DATA = StudioFixtures.tempDir();
    private static Studio studio;
    private final URI uri;

    A2aSdkClientTest(URI uri) {
        this.uri = uri;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        var catalog = new TestCatalog(
                scripted.settings(),
                "helper",
                StudioTools.none(),
                TestCatalog.model("helper", "Helps with anything", null, "You help."));
        var settings = new ServerSettings("127.0.0.1", 0, KEY, List.of(), 1024 * 1024);
        studio = new Studio(
                StudioFixtures.config(scripted.settings(), DATA, settings),
                new FileSessionRepository(DATA),
                StudioTools.none(),
                catalog,
                McpServers.none(),
                null);
        StudioFixtures.mount(server, studio);
    }

    @Test
    void theOfficialClientSendsStreamsReadsAndCancels() throws Exception {
        scripted.enqueue(
                Reply.text("Hello from miu"),
                Reply.text("Second answer"),
                Reply.text("one two three"),
                Reply.pingsForever());
        String base = "http://localhost:" + uri.getPort();
        Map<String, JsonObject> steps = new LinkedHashMap<>();
        for (String line : A2aJsSdk.run("a2a-sdk-client.cjs", List.of(base, "helper", KEY))) {
            JsonObject step = Json.parseObject(line);
            steps.put(step.getString("step"), step);
        }

        JsonObject card = steps.get("card");
        assertEquals("helper", card.getString("name"));
        assertTrue(card.getBoolean("streaming"));
        assertEquals(base + "/a2a/helper", card.getString("url"));
        assertEquals("1.0", card.getString("version"), "the SDK picked the 1.0 interface");

        JsonObject send = steps.get("send");
        assertEquals(3, send.getInt("state"), "TASK_STATE_COMPLETED: " + send);
        assertEquals("Hello from miu", send.getString("answer"));
        String context = send.getString("contextId");
        assertTrue(studio.sessions().find(context).isPresent(), "a new context is a new miu session");

        JsonObject followUp = steps.get("follow-up");
        assertEquals(context, followUp.getString("contextId"));
        assertEquals("Second answer", followUp.getString("answer"));
        assertEquals(4, studio.sessions().find(context).orElseThrow().messages().size(), "two turns, one session");
        assertEquals("helper", studio.sessions().find(context).orElseThrow().agent());

        JsonObject stream = steps.get("stream");
        List<String> events = stream.getJsonArray("events").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString)
                .toList();
        assertEquals("task", events.getFirst(), events.toString());
        assertTrue(events.contains("artifactUpdate"), events.toString());
        assertEquals("status:3", events.getLast(), "ends completed: " + events);
        assertEquals("one two three", stream.getString("streamed"));

        JsonObject got = steps.get("get");
        assertEquals(send.getString("id"), got.getString("id"));
        assertEquals(3, got.getInt("state"));
        assertEquals("Hello from miu", got.getString("answer"));
        assertEquals(1, got.getInt("history"));

        JsonObject cancel = steps.get("cancel");
        assertEquals(2, cancel.getInt("before"), "TASK_STATE_WORKING: " + cancel);
        assertEquals(5, cancel.getInt("after"), "TASK_STATE_CANCELED: " + cancel);
        assertTrue(
                steps.get("cancel-again").getString("error").startsWith("JsonRpcTaskNotCancelableError"),
                steps.toString());
        assertTrue(
                steps.get("unknown-task").getString("error").startsWith("JsonRpcTaskNotFoundError"), steps.toString());
        assertTrue(steps.get("no-key").getString("error").contains("API key"), steps.toString());
    }
}
