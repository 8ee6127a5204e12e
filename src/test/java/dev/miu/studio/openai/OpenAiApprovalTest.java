package dev.miu.studio.openai;

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
import dev.miu.studio.chat.ChatRunner;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAI-compatible API on a server with an API key, hosting an agent whose tool waits for approval: the key is
 * required under {@code /v1} (refused in OpenAI's shape), a stateless request denies the waiting call (the model
 * reads why) and goes on, and a session-bound turn pauses as a session's turn does.
 */
@ServerTest
@Timeout(60)
class OpenAiApprovalTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private static final String KEY = "miu-test-key";

    private final Api anonymous;
    private final Api api;

    OpenAiApprovalTest(URI uri) {
        this.anonymous = new Api(uri);
        this.api = new Api(uri, "Authorization", "Bearer " + KEY);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Path data = StudioFixtures.tempDir();
        MiuConfig config = StudioFixtures.config(
                        scripted.settings(), data, new ServerSettings("127.0.0.1", 0, KEY, List.of(), 1024 * 1024))
                .withAgents(new AgentsSettings(List.of(), "clock", data, false));
        var agents = ConfiguredAgents.of(
                List.of(
                        new AgentDefinition.Model(
                                "clock",
                                "Tells the time, when allowed",
                                null,
                                "anthropic:claude-test",
                                "Tell the time.",
                                5,
                                512,
                                null,
                                List.of(new ToolRef.Builtin("current_time", ToolRef.Approval.ALWAYS))),
                        new AgentDefinition.Router(
                                "desk",
                                "Front desk",
                                null,
                                List.of(new AgentDefinition.RouteDefinition("clock", null, List.of("time"), null, 10)),
                                null,
                                "clock")),
                config,
                AgentReferences.byName(List.of(), List.of()),
                McpServers.none(),
                null,
                StudioFixtures.FAST_RETRIES);
        StudioFixtures.mount(
                server,
                new Studio(
                        config, new FileSessionRepository(data), StudioTools.none(), agents, McpServers.none(), null));
    }

    private static String ask(String text) {
        return "{\"model\":\"clock\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    @Test
    void theApiKeyIsRequiredAndRefusedInOpenAisShape() {
        for (Api.Resp r : List.of(
                anonymous.get("/v1/models"),
                anonymous.post("/v1/chat/completions", ask("Hi")),
                new Api(anonymous.base(), "Authorization", "Bearer wrong").get("/v1/models"))) {
            assertEquals(401, r.status(), r.body());
            JsonObject error = r.json().getJsonObject("error");
            assertEquals("invalid_api_key", error.getString("code"));
            assertEquals("authentication_error", error.getString("type"));
            assertEquals("Bearer", r.header("WWW-Authenticate"));
        }
        assertEquals(200, api.get("/v1/models").status());
        assertEquals(401, anonymous.get("/api/v1/sessions").status(), "the /api is still guarded");
    }

    @Test
    void aStatelessRequestDeniesACallThatWouldWaitAndGoesOn() {
        scripted.enqueue(
                Reply.toolCall("call_t", "current_time", "{}"), Reply.text("I may not look at the clock, sorry"));
        Api.Resp r = api.post("/v1/chat/completions", ask("What time is it?"));
        assertEquals(200, r.status(), r.body());
        JsonObject choice = r.json().getJsonArray("choices").getJsonObject(0);
        assertEquals(
                "I may not look at the clock, sorry",
                choice.getJsonObject("message").getString("content"));
        assertEquals("stop", choice.getString("finish_reason"));
        String second = scripted.lastRequest().body();
        assertTrue(second.contains("a request without a miu session cannot wait"), second);
        assertTrue(second.contains("\"is_error\":true"), "the model reads a denial: " + second);
        assertTrue(ChatRunner.NO_APPROVAL_WITHOUT_SESSION.contains("X-Miu-Session-Id"));
    }

    @Test
    void aRoutersChosenAgentIsDeniedAndGoesOnItself() {
        scripted.enqueue(Reply.toolCall("call_t", "current_time", "{}"), Reply.text("No clock for me"));
        Api.Resp r = api.post("/v1/chat/completions", ask("What time is it?").replace("\"clock\"", "\"desk\""));
        assertEquals(200, r.status(), r.body());
        JsonObject choice = r.json().getJsonArray("choices").getJsonObject(0);
        assertEquals("No clock for me", choice.getJsonObject("message").getString("content"));
        assertEquals("Tell the time.", scripted.lastRequest().json().getString("system"), "the chosen agent went on");
        assertTrue(
                scripted.lastRequest().body().contains("cannot wait"),
                scripted.lastRequest().body());
    }

    @Test
    void aSessionBoundTurnPausesForApprovalAsASessionsTurnDoes() {
        String id = api.post("/api/v1/sessions", "{\"agent\":\"clock\"}").json().getString("id");
        scripted.enqueue(Reply.toolCall("call_t", "current_time", "{}"));
        Api.Resp r = api.withHeaders("Authorization", "Bearer " + KEY, OpenAiService.SESSION_HEADER, id)
                .post("/v1/chat/completions", ask("What time is it?"));
        assertEquals(200, r.status(), r.body());
        String content = r.json()
                .getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("message")
                .getString("content");
        assertTrue(content.contains("Waiting for approval: current_time"), content);
        JsonObject session = api.get("/api/v1/sessions/" + id).json();
        assertEquals(1, session.getJsonArray("pending_approvals").size(), session.toString());
    }
}
