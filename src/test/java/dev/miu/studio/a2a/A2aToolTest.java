package dev.miu.studio.a2a;

import dev.miu.agents.AgentReferences;
import dev.miu.agents.ConfiguredAgents;
import dev.miu.config.AgentDefinition;
import dev.miu.config.AgentsSettings;
import dev.miu.config.MiuConfig;
import dev.miu.config.ServerSettings;
import dev.miu.config.ToolRef;
import dev.miu.core.mcp.McpServers;
import dev.miu.studio.Api;
import dev.miu.studio.Studio;
import dev.miu.studio.StudioFixtures;
import dev.miu.studio.session.FileSessionRepository;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.RecordedRequest;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * miu's A2A client against miu's A2A server: an agent whose tools name {@code {a2a: URL}} of another agent on the
 * same server calls it as a tool (its card names and describes the tool, the key comes from {@code api-key-env}),
 * and an unreachable agent or a missing key is a clear error.
 */
@ServerTest
@Timeout(60)
class A2aToolTest {

    private static final String KEY = "miu-to-miu-key";
    private static final String MODEL = "anthropic:claude-test";
    private static final int PORT = freePort();

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private final Api api;

    A2aToolTest(URI uri) {
        this.api = new Api(uri, "Authorization", "Bearer " + KEY);
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static AgentDefinition.Model model(String name, String description, String instructions, ToolRef... tools) {
        return new AgentDefinition.Model(name, description, null, MODEL, instructions, 5, 512, null, List.of(tools));
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Path data = StudioFixtures.tempDir();
        URI other = URI.create("http://localhost:" + PORT + "/a2a/other");
        MiuConfig config = StudioFixtures.config(
                        scripted.settings(), data, new ServerSettings("127.0.0.1", PORT, KEY, List.of(), 1024 * 1024))
                .withAgents(new AgentsSettings(List.of(), "caller", data, false));
        var catalog = ConfiguredAgents.of(
                List.of(
                        model("other", "Knows arithmetic", "You add."),
                        model(
                                "caller",
                                "Asks others",
                                "You delegate.",
                                new ToolRef.A2a(other, "REMOTE_KEY", Duration.ofSeconds(30))),
                        model(
                                "keyless",
                                "Has no key",
                                "You delegate.",
                                new ToolRef.A2a(other, "NOT_SET_ANYWHERE", null)),
                        model(
                                "lonely",
                                "Calls nobody",
                                "You delegate.",
                                new ToolRef.A2a(URI.create("http://localhost:1/a2a/nobody"), null, null))),
                config,
                AgentReferences.byName(List.of(), List.of()),
                McpServers.none(),
                null,
                StudioFixtures.FAST_RETRIES,
                Map.of("REMOTE_KEY", KEY)::get);
        var studio = new Studio(
                config, new FileSessionRepository(data), StudioTools.none(), catalog, McpServers.none(), null);
        StudioFixtures.mount(server, studio);
        server.port(PORT);
    }

    private Api.Resp ask(String agent, String message) {
        String id = api.post("/api/v1/sessions", "{\"agent\":\"" + agent + "\"}")
                .json()
                .getString("id");
        return api.post("/api/v1/chat/invoke", "{\"session_id\":\"" + id + "\",\"message\":\"" + message + "\"}");
    }

    /** The content of the last tool result a request sends back (Anthropic's shape). */
    private static String lastToolResult(RecordedRequest request) {
        JsonArray messages = request.json().getJsonArray("messages");
        JsonArray content = messages.getJsonObject(messages.size() - 1).getJsonArray("content");
        return content.getJsonObject(content.size() - 1).getString("content");
    }

    @Test
    void anAgentCallsAnotherOverA2aAsATool() {
        scripted.enqueue(
                Reply.toolCall("call_1", "other", "{\"task\":\"What is 2+3?\"}"),
                Reply.text("Five"),
                Reply.text("The other agent says: Five"));
        Api.Resp resp = ask("caller", "Ask the other agent what 2+3 is");
        assertEquals(200, resp.status(), resp.body());
        assertEquals("The other agent says: Five", resp.json().getString("response"));

        List<RecordedRequest> requests = scripted.requests();
        JsonObject tool = requests.get(0).json().getJsonArray("tools").getJsonObject(0);
        assertEquals("other", tool.getString("name"), "named after the remote card");
        assertTrue(tool.getString("description").startsWith("Knows arithmetic"), tool.toString());
        JsonObject remote = requests.get(1).json();
        assertEquals("You add.", remote.getString("system"), "the remote agent ran as itself");
        assertTrue(remote.toString().contains("What is 2+3?"), remote.toString());
        assertEquals("Five", lastToolResult(requests.get(2)));
    }

    @Test
    void aMissingKeyVariableFailsTheTurnNamingIt() {
        Api.Resp resp = ask("keyless", "Hello");
        assertEquals(503, resp.status(), resp.body());
        assertEquals(
                "The tool a2a: http://localhost:" + PORT + "/a2a/other needs the environment variable"
                        + " NOT_SET_ANYWHERE (its api-key-env), which is not set",
                resp.detail());
    }

    @Test
    void anUnreachableAgentIsAToolErrorTheModelReads() {
        scripted.enqueue(
                Reply.toolCall("call_1", "nobody", "{\"task\":\"Anyone there?\"}"), Reply.text("Nobody answered"));
        Api.Resp resp = ask("lonely", "Call nobody");
        assertEquals(200, resp.status(), resp.body());
        String result = lastToolResult(scripted.requests().get(1));
        assertTrue(
                result.startsWith("Could not reach the agent card at"
                        + " http://localhost:1/a2a/nobody/.well-known/agent-card.json (ConnectException"),
                result);
    }
}
