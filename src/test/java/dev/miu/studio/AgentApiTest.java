package dev.miu.studio;

import dev.miu.config.AgentDefinition;
import dev.miu.core.message.Usage;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionIds;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /agents} and the {@code agent} of sessions: listing, showing, choosing, changing, and bad names. */
@ServerTest
@Timeout(60)
class AgentApiTest {

    private static final ProviderSettings PROVIDERS =
            new ProviderSettings("sk-unused", "http://127.0.0.1:9", null, null, null, null, null);

    static final TestCatalog CATALOG = new TestCatalog(
            PROVIDERS,
            "assistant",
            dev.miu.studio.tools.StudioTools.none(),
            TestCatalog.model("assistant", "Answers anything", null, "You are a test assistant."),
            TestCatalog.model("writer", "Writes prose and poems", "anthropic:claude-writer", "Write well."),
            TestCatalog.router("helpdesk", "assistant", "writer", "poem"),
            new AgentDefinition.Pipeline(
                    "flow", "Drafts, then checks", Path.of("/agents/flow.yaml"), List.of("writer", "assistant")),
            new AgentDefinition.Orchestrator(
                    "plan",
                    "Drafts and reviews in parallel",
                    null,
                    List.of(
                            new AgentDefinition.TaskDefinition("draft", "writer", "Draft it", List.of()),
                            new AgentDefinition.TaskDefinition("review", "assistant", "Review it", List.of("draft"))),
                    2));

    private static Studio studio;

    private final Api api;

    AgentApiTest(URI uri) {
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        studio = StudioFixtures.studio(PROVIDERS, StudioFixtures.tempDir(), CATALOG);
        StudioFixtures.mount(server, studio);
    }

    private static List<String> strings(JsonObject o, String key) {
        return o.getJsonArray(key).getValuesAs(JsonString.class).stream()
                .map(JsonString::getString)
                .toList();
    }

    @Test
    void listsTheAgentsAndTheDefault() {
        for (String path : List.of("/api/v1/agents", "/api/v1/agents/")) {
            Api.Resp r = api.get(path);
            assertEquals(200, r.status(), r.body());
            assertEquals("assistant", r.json().getString("default"));
            var agents = r.json().getJsonArray("agents");
            assertEquals(
                    List.of("assistant", "writer", "helpdesk", "flow", "plan"),
                    agents.getValuesAs(JsonObject.class).stream()
                            .map(a -> a.getString("name"))
                            .toList());
            JsonObject writer = agents.getJsonObject(1);
            assertEquals("Writes prose and poems", writer.getString("description"));
            assertEquals("agent", writer.getString("type"));
            assertEquals("anthropic:claude-writer", writer.getString("model"));
            assertEquals(List.of("add"), strings(writer, "tools"));
            assertTrue(
                    agents.getJsonObject(0).getString("model").startsWith("anthropic:"),
                    "no model of its own: the server's default");
            JsonObject helpdesk = agents.getJsonObject(2);
            assertEquals("router", helpdesk.getString("type"));
            assertEquals(JsonValue.NULL, helpdesk.get("model"));
            assertEquals(List.of(), strings(helpdesk, "tools"));
            assertEquals("pipeline", agents.getJsonObject(3).getString("type"));
            assertEquals("orchestrator", agents.getJsonObject(4).getString("type"));
        }
    }

    @Test
    void infoListsTheAgentsAndTheDefaultToo() {
        JsonObject info = api.get("/api/v1/info").json();
        assertEquals(List.of("assistant", "writer", "helpdesk", "flow", "plan"), strings(info, "agents"));
        assertEquals("assistant", info.getString("default_agent"));
        assertTrue(info.containsKey("tools") && info.containsKey("model"), "what it had is kept: " + info);
    }

    @Test
    void showsAnAgentWithItsComposition() {
        JsonObject helpdesk = api.get("/api/v1/agents/helpdesk").json();
        assertEquals("helpdesk.yaml", helpdesk.getString("source"), "the file name, not the server's path");
        assertEquals(List.of("writer", "assistant"), strings(helpdesk, "uses"));
        assertEquals("assistant", helpdesk.getString("default"));
        assertEquals(JsonValue.NULL, helpdesk.get("classifier_model"));
        JsonObject route = helpdesk.getJsonArray("routes").getJsonObject(0);
        assertEquals("writer", route.getString("agent"));
        assertEquals(List.of("poem"), strings(route, "keywords"));
        assertEquals(JsonValue.NULL, route.get("regex"));
        assertEquals(1, route.getInt("priority"));

        assertEquals(
                List.of("writer", "assistant"),
                strings(api.get("/api/v1/agents/flow").json(), "stages"));

        JsonObject plan = api.get("/api/v1/agents/plan").json();
        assertEquals(JsonValue.NULL, plan.get("source"), "declared in code");
        assertEquals(2, plan.getInt("max_parallel"));
        JsonObject review = plan.getJsonArray("tasks").getJsonObject(1);
        assertEquals("review", review.getString("id"));
        assertEquals("assistant", review.getString("agent"));
        assertEquals("Review it", review.getString("prompt"));
        assertEquals(List.of("draft"), strings(review, "depends_on"));

        JsonObject writer = api.get("/api/v1/agents/writer").json();
        assertEquals("Write well.", writer.getString("instructions"));
        assertEquals(5, writer.getInt("max_iterations"));
        assertEquals(List.of("add"), strings(writer, "tools"));
    }

    @Test
    void anUnknownOrMalformedAgentNameIs404() {
        Api.Resp unknown = api.get("/api/v1/agents/nobody");
        assertEquals(404, unknown.status());
        assertEquals(
                "Agent 'nobody' not found; known agents: assistant, writer, helpdesk, flow, plan", unknown.detail());
        for (String name : List.of("Writer", "a%20b", "x%3Cscript%3E", "-x", "a".repeat(65))) {
            Api.Resp r = api.get("/api/v1/agents/" + name);
            assertEquals(404, r.status(), name);
            assertTrue(r.detail().startsWith("Agent not found"), name + ": " + r.detail());
        }
    }

    @Test
    void aNewSessionRunsTheChosenAgentWithItsModelAndInstructions() {
        Api.Resp created = api.post("/api/v1/sessions", "{\"agent\":\"writer\"}");
        assertEquals(201, created.status(), created.body());
        JsonObject writer = created.json();
        assertEquals("writer", writer.getString("agent"));
        assertEquals("anthropic:claude-writer", writer.getString("model"));
        assertEquals("Write well.", writer.getString("system_prompt"));
        assertEquals(
                writer, api.get("/api/v1/sessions/" + writer.getString("id")).json());

        JsonObject byDefault = api.post("/api/v1/sessions", "{}").json();
        assertEquals("assistant", byDefault.getString("agent"));
        assertEquals("You are a test assistant.", byDefault.getString("system_prompt"));

        JsonObject router =
                api.post("/api/v1/sessions", "{\"agent\":\"helpdesk\"}").json();
        assertEquals("helpdesk", router.getString("agent"));
        assertEquals(JsonValue.NULL, router.get("model"), "a composition's agents each have their own");
        assertEquals(JsonValue.NULL, router.get("system_prompt"));

        JsonObject own = api.post("/api/v1/sessions", "{\"agent\":\"writer\",\"system_prompt\":\"Rhyme.\"}")
                .json();
        assertEquals("Rhyme.", own.getString("system_prompt"), "a session's own prompt wins");
    }

    @Test
    void anUnknownAgentIs422NamingTheKnownOnes() {
        Api.Resp r = api.post("/api/v1/sessions", "{\"agent\":\"nobody\"}");
        assertEquals(422, r.status());
        assertEquals("Unknown agent 'nobody'; known agents: assistant, writer, helpdesk, flow, plan", r.detail());
        assertEquals(422, api.post("/api/v1/sessions", "{\"agent\":7}").status());
        assertEquals(422, api.post("/api/v1/sessions", "{\"agent\":\"\"}").status());
    }

    @Test
    void patchChangesTheAgentAndItsDefaults() {
        String id = api.newSession();
        JsonObject changed =
                api.patch("/api/v1/sessions/" + id, "{\"agent\":\"writer\"}").json();
        assertEquals("writer", changed.getString("agent"));
        assertEquals("anthropic:claude-writer", changed.getString("model"));
        assertEquals("Write well.", changed.getString("system_prompt"));

        Api.Resp refused = api.patch("/api/v1/sessions/" + id, "{\"agent\":\"nobody\",\"name\":\"lost\"}");
        assertEquals(422, refused.status());
        assertTrue(refused.detail().contains("known agents: assistant, writer"), refused.detail());
        assertEquals(changed, api.get("/api/v1/sessions/" + id).json(), "nothing of a refused change is kept");

        JsonObject back = api.patch(
                        "/api/v1/sessions/" + id, "{\"agent\":\"assistant\",\"system_prompt\":\"Be brief.\"}")
                .json();
        assertEquals("assistant", back.getString("agent"));
        assertEquals("Be brief.", back.getString("system_prompt"), "a prompt sent with the agent is kept");

        JsonObject renamed =
                api.patch("/api/v1/sessions/" + id, "{\"name\":\"kept\"}").json();
        assertEquals("assistant", renamed.getString("agent"));
        assertEquals("Be brief.", renamed.getString("system_prompt"), "the agent's settings stay when not changed");
    }

    @Test
    void summariesCarryTheAgent() {
        String id =
                api.post("/api/v1/sessions", "{\"agent\":\"helpdesk\"}").json().getString("id");
        JsonObject summary = api.get("/api/v1/sessions").array().getValuesAs(JsonObject.class).stream()
                .filter(s -> s.getString("id").equals(id))
                .findFirst()
                .orElseThrow();
        assertEquals("helpdesk", summary.getString("agent"));
    }

    @Test
    void aSessionStoredBeforeAgentsReadsAsOnTheDefaultAgent() {
        Instant now = Instant.now();
        String id = SessionIds.newId();
        studio.sessions().create(new Session(id, "old", "anthropic:claude-old", null, now, now, List.of(), Usage.ZERO));
        assertEquals("assistant", api.get("/api/v1/sessions/" + id).json().getString("agent"));
        JsonObject summary = api.get("/api/v1/sessions").array().getValuesAs(JsonObject.class).stream()
                .filter(s -> s.getString("id").equals(id))
                .findFirst()
                .orElseThrow();
        assertEquals("assistant", summary.getString("agent"));
    }
}
