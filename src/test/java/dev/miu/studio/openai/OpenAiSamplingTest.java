package dev.miu.studio.openai;

import dev.miu.agents.AgentCatalog;
import dev.miu.agents.AgentReferences;
import dev.miu.agents.ConfiguredAgents;
import dev.miu.agents.SamplingLimits;
import dev.miu.config.AgentDefinition;
import dev.miu.config.AgentsSettings;
import dev.miu.config.MiuConfig;
import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.Response;
import dev.miu.core.json.Json;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.message.Message;
import dev.miu.core.tool.ToolContext;
import dev.miu.studio.Api;
import dev.miu.studio.StudioFixtures;
import dev.miu.testing.RecordedRequest;
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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A request's {@code max_tokens} and {@code temperature} reach every model agent the turn runs, seen in the provider
 * request bodies: a session-bound turn's agent (and nothing of them is kept for the session's next turn), both
 * stages of a pipeline, a router's route but not its classifier. Also the 500 of an internal failure, in OpenAI's
 * shape.
 */
@ServerTest
@Timeout(60)
class OpenAiSamplingTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private static final String MODEL = "anthropic:claude-test";
    private static final String LIMITS = "\"max_tokens\":100,\"temperature\":0.5";

    private final URI uri;
    private final Api api;

    OpenAiSamplingTest(URI uri) {
        this.uri = uri;
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Path data = StudioFixtures.tempDir();
        MiuConfig config = StudioFixtures.config(scripted.settings(), data, StudioFixtures.server())
                .withAgents(new AgentsSettings(List.of(), "writer", data, false));
        var agents = ConfiguredAgents.of(
                List.of(
                        model("writer", "You write."),
                        model("editor", "You edit."),
                        model("broken", "You never run."),
                        new AgentDefinition.Pipeline("chain", "Writes, then edits", null, List.of("writer", "editor")),
                        new AgentDefinition.Router(
                                "desk",
                                "Front desk",
                                null,
                                List.of(new AgentDefinition.RouteDefinition(
                                        "writer", "Writes texts", List.of(), null, 1)),
                                MODEL,
                                "editor")),
                config,
                AgentReferences.byName(List.of(), List.of()),
                McpServers.none(),
                null,
                StudioFixtures.FAST_RETRIES);
        StudioFixtures.mount(server, StudioFixtures.studio(scripted.settings(), data, new Breaking(agents)));
    }

    /** A model agent with its own limit of 512 output tokens and temperature 0.9. */
    private static AgentDefinition.Model model(String name, String instructions) {
        return new AgentDefinition.Model(name, "The " + name, null, MODEL, instructions, 5, 512, 0.9, List.of());
    }

    private static String request(String model, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]"
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static void assertSampling(RecordedRequest request, int maxTokens, double temperature) {
        JsonObject body = request.json();
        assertEquals(maxTokens, body.getInt("max_tokens"), body.toString());
        assertEquals(temperature, body.getJsonNumber("temperature").doubleValue(), 1e-9, body.toString());
    }

    @Test
    void aSessionBoundTurnRunsUnderTheRequestsLimitsAndKeepsNoneOfThem() {
        String id =
                api.post("/api/v1/sessions", "{\"agent\":\"writer\"}").json().getString("id");
        scripted.enqueue(Reply.text("First"), Reply.text("Second"));
        Api bound = api.withHeaders(OpenAiService.SESSION_HEADER, id);

        assertEquals(
                200,
                bound.post("/v1/chat/completions", request("writer", LIMITS)).status());
        assertSampling(scripted.lastRequest(), 100, 0.5);
        assertEquals("You write.", scripted.lastRequest().json().getString("system"));

        Api.Resp next = bound.post("/v1/chat/completions", request("writer", "\"max_completion_tokens\":4000"));
        assertEquals(200, next.status(), next.body());
        assertSampling(scripted.lastRequest(), 512, 0.9); // only lowered; the first turn's left nothing behind
        scripted.assertAllConsumed();
    }

    @Test
    void bothStagesOfAPipelineGetTheLimits() {
        scripted.enqueue(Reply.text("A draft"), Reply.text("The edited draft"));
        Api.Resp r = api.post("/v1/chat/completions", request("chain", LIMITS));
        assertEquals(200, r.status(), r.body());
        List<RecordedRequest> requests = scripted.requests();
        assertEquals(2, requests.size());
        assertEquals("You write.", requests.get(0).json().getString("system"));
        assertEquals("You edit.", requests.get(1).json().getString("system"));
        requests.forEach(request -> assertSampling(request, 100, 0.5));
    }

    @Test
    void aRoutersRouteGetsTheLimitsAndItsClassifierDoesNot() {
        scripted.enqueue(Reply.text("writer"), Reply.text("Written"));
        Api.Resp r = api.post("/v1/chat/completions", request("desk", LIMITS));
        assertEquals(200, r.status(), r.body());
        List<RecordedRequest> requests = scripted.requests();
        assertEquals(2, requests.size());
        JsonObject classifier = requests.get(0).json();
        assertEquals(AgentConfig.DEFAULT_MAX_TOKENS, classifier.getInt("max_tokens"), classifier.toString());
        assertFalse(classifier.containsKey("temperature"), classifier.toString());
        assertEquals("You write.", requests.get(1).json().getString("system"), "the classifier chose the writer");
        assertSampling(requests.get(1), 100, 0.5);
    }

    @Test
    void anInternalFailureIsA500InOpenAisShape() throws Exception {
        Api.Resp r = api.post("/v1/chat/completions", request("broken", ""));
        assertEquals(500, r.status(), r.body());
        JsonObject error = r.json().getJsonObject("error");
        assertEquals("server_error", error.getString("type"), r.body());
        assertFalse(error.getString("message").contains(Breaking.SECRET), "internals stay in the server log");

        HttpResponse<String> streamed = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(uri.resolve("/v1/chat/completions"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(request("broken", "\"stream\":true")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        List<String> data = streamed.body()
                .lines()
                .filter(l -> l.startsWith("data:"))
                .map(l -> l.substring(5).strip())
                .toList();
        JsonObject streamedError = Json.parseObject(data.getLast()).getJsonObject("error");
        assertEquals("server_error", streamedError.getString("type"), data.toString());
        assertFalse(data.contains("[DONE]"), data.toString());
        assertEquals(0, scripted.requestCount());
    }

    /** The catalog, except that agent {@code broken} fails as a bug would: not a provider's or a tool's failure. */
    private record Breaking(AgentCatalog agents) implements AgentCatalog {

        static final String SECRET = "an internal detail";

        @Override
        public String defaultAgent() {
            return agents.defaultAgent();
        }

        @Override
        public List<AgentDefinition> definitions() {
            return agents.definitions();
        }

        @Override
        public Agent create(String name, String modelOverride, String instructionsOverride, SamplingLimits limits) {
            Agent agent = agents.create(name, modelOverride, instructionsOverride, limits);
            if (!name.equals("broken")) {
                return agent;
            }
            return new Agent() {
                @Override
                public AgentConfig config() {
                    return agent.config();
                }

                @Override
                public Response stream(List<Message> conversation, ToolContext context, Consumer<AgentEvent> events) {
                    throw new IllegalStateException(SECRET);
                }
            };
        }
    }
}
