package dev.miu.studio;

import dev.miu.core.MiuVersion;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/v1/info} (what the web UI's first page shows) with and without a provider, and sessions titled
 * from their first message unless the user named them.
 */
@Timeout(60)
class InfoAndTitleApiTest {

    @RegisterExtension
    final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    @TempDir
    Path dataDir;

    @Test
    void infoNamesTheVersionTheDefaultModelAndTheTools() {
        WebServer server = StudioServer.start(StudioFixtures.studio(
                scripted.settings(), dataDir, StudioFixtures.server(), StudioTools.of(ChatApiTest.adder())));
        try {
            Api.Resp r = new Api(uri(server)).get("/api/v1/info");
            assertEquals(200, r.status());
            JsonObject info = r.json();
            assertEquals("miu", info.getString("name"));
            assertEquals(MiuVersion.get(), info.getString("version"));
            assertNotEquals("unknown", info.getString("version"), "the build writes the version");
            assertTrue(info.getString("description").startsWith("miu is an AI agent platform"));
            assertEquals("anthropic:claude-sonnet-4-5", info.getString("model"));
            assertTrue(info.getBoolean("provider_configured"));
            assertEquals(JsonValue.NULL, info.get("detail"));
            assertEquals(0, info.getJsonArray("settings").size());
            assertEquals(List.of("add"), info.getJsonArray("tools").getValuesAs(JsonString::getString));
            assertEquals(List.of("assistant"), info.getJsonArray("agents").getValuesAs(JsonString::getString));
            assertEquals("assistant", info.getString("default_agent"));
        } finally {
            server.stop();
        }
    }

    @Test
    void infoWithoutAProviderSaysWhatToSet() {
        WebServer server = StudioServer.start(
                StudioFixtures.studio(ProviderSettings.NONE, dataDir, StudioFixtures.server(), StudioTools.none()));
        try {
            JsonObject info = new Api(uri(server)).get("/api/v1/info").json();
            assertEquals(JsonValue.NULL, info.get("model"));
            assertFalse(info.getBoolean("provider_configured"));
            assertTrue(info.getString("detail").contains("ANTHROPIC_API_KEY"), info.getString("detail"));
            JsonObject first = info.getJsonArray("settings").getJsonObject(0);
            assertEquals("ANTHROPIC_API_KEY", first.getString("name"));
            assertEquals("export ANTHROPIC_API_KEY=sk-ant-...", first.getString("example"));
            assertEquals(5, info.getJsonArray("settings").size());
        } finally {
            server.stop();
        }
    }

    @Test
    void infoNeedsTheApiKeyLikeTheRestOfTheApi() {
        var locked = new dev.miu.config.ServerSettings("127.0.0.1", 0, "secret-key", List.of(), 1024 * 1024);
        WebServer server =
                StudioServer.start(StudioFixtures.studio(ProviderSettings.NONE, dataDir, locked, StudioTools.none()));
        try {
            Api api = new Api(uri(server));
            assertEquals(401, api.get("/api/v1/info").status());
            assertEquals(
                    200,
                    api.withHeaders("Authorization", "Bearer secret-key")
                            .get("/api/v1/info")
                            .status());
        } finally {
            server.stop();
        }
    }

    @Test
    void theFirstMessageTitlesAnUntitledSessionAndTheTitleSurvivesARestart() {
        scripted.enqueue(Reply.text("Sunny."), Reply.text("Warm."), Reply.text("Noted."), Reply.text("Fine."));
        String untitled;
        String renamed;
        String named;
        WebServer first = StudioServer.start(
                StudioFixtures.studio(scripted.settings(), dataDir, StudioFixtures.server(), StudioTools.none()));
        try {
            Api api = new Api(uri(first));
            untitled = api.newSession();
            assertEquals(
                    "New chat", api.get("/api/v1/sessions/" + untitled).json().getString("name"));
            chat(api, untitled, "Weather in Lisbon?\nAnd tomorrow?");
            assertEquals("Weather in Lisbon?", name(api, untitled));
            chat(api, untitled, "What about Porto?");
            assertEquals("Weather in Lisbon?", name(api, untitled), "only the first message titles it");
            assertEquals(
                    "Weather in Lisbon?",
                    api.get("/api/v1/sessions").array().getJsonObject(0).getString("name"));

            renamed = api.newSession();
            assertEquals(
                    200,
                    api.patch("/api/v1/sessions/" + renamed, "{\"name\":\"Trip plans\"}")
                            .status());
            chat(api, renamed, "Remember: Lisbon in May");
            assertEquals("Trip plans", name(api, renamed), "a rename before the first message is kept");

            named = api.post("/api/v1/sessions", "{\"name\":\"Mine\"}").json().getString("id");
            chat(api, named, "Hello");
            assertEquals("Mine", name(api, named));
        } finally {
            first.stop();
        }
        WebServer second = StudioServer.start(
                StudioFixtures.studio(scripted.settings(), dataDir, StudioFixtures.server(), StudioTools.none()));
        try {
            Api api = new Api(uri(second));
            assertEquals("Weather in Lisbon?", name(api, untitled));
            assertEquals("Trip plans", name(api, renamed));
            assertEquals("Mine", name(api, named));
        } finally {
            second.stop();
        }
        scripted.assertAllConsumed();
    }

    @Test
    void aTurnThatCannotStartLeavesTheSessionUntitled() {
        WebServer server = StudioServer.start(
                StudioFixtures.studio(ProviderSettings.NONE, dataDir, StudioFixtures.server(), StudioTools.none()));
        try {
            Api api = new Api(uri(server));
            String id = api.newSession();
            assertEquals(
                    503,
                    api.post("/api/v1/chat/invoke", "{\"session_id\":\"" + id + "\",\"message\":\"Hi\"}")
                            .status());
            assertEquals("New chat", name(api, id));
        } finally {
            server.stop();
        }
    }

    private static void chat(Api api, String id, String message) {
        String body = "{\"session_id\":\"" + id + "\",\"message\":"
                + dev.miu.core.json.Json.write(dev.miu.core.json.Json.string(message)) + "}";
        Api.Resp r = api.post("/api/v1/chat/invoke", body);
        assertEquals(200, r.status(), r.toString());
    }

    private static String name(Api api, String id) {
        return api.get("/api/v1/sessions/" + id).json().getString("name");
    }

    private static URI uri(WebServer server) {
        return URI.create("http://127.0.0.1:" + server.port());
    }
}
