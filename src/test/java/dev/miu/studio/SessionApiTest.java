package dev.miu.studio;

import dev.miu.core.provider.ProviderSettings;
import dev.miu.studio.tools.StudioTools;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session routes: create, list, read, change, delete, and every way of asking for them wrongly. */
@ServerTest
@Timeout(60)
class SessionApiTest {

    private static final ProviderSettings PROVIDERS =
            new ProviderSettings(null, null, "sk-unused", "http://127.0.0.1:9/v1", null, null, null);

    private final Api api;

    SessionApiTest(URI uri) {
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        StudioFixtures.mount(server, StudioFixtures.studio(PROVIDERS, StudioTools.none()));
    }

    @Test
    void createsWithDefaults() {
        Api.Resp r = api.post("/api/v1/sessions", "");
        assertEquals(201, r.status());
        JsonObject s = r.json();
        assertEquals("/api/v1/sessions/" + s.getString("id"), r.header("location"));
        assertEquals(
                Set.of(
                        "id",
                        "name",
                        "agent",
                        "model",
                        "system_prompt",
                        "created_at",
                        "updated_at",
                        "messages",
                        "usage",
                        "pending_approvals",
                        "approvals_audit"),
                s.keySet());
        assertEquals("assistant", s.getString("agent"), "the default agent");
        assertTrue(s.getString("id").matches("[0-9a-f-]{36}"));
        assertEquals("New chat", s.getString("name"));
        assertEquals("openai:gpt-4.1-mini", s.getString("model"), "the detected provider's default model");
        assertEquals(StudioFixtures.SYSTEM_PROMPT, s.getString("system_prompt"));
        assertEquals(0, s.getJsonArray("messages").size());
        assertEquals("application/json", r.header("content-type"));
    }

    @Test
    void createsWithNameModelAndPrompt() {
        JsonObject s = api.post(
                        "/api/v1/sessions",
                        "{\"name\":\"Research\",\"model\":\"anthropic:claude-x\",\"system_prompt\":\"Be brief.\"}")
                .json();
        assertEquals("Research", s.getString("name"));
        assertEquals("anthropic:claude-x", s.getString("model"));
        assertEquals("Be brief.", s.getString("system_prompt"));
        assertEquals(s, api.get("/api/v1/sessions/" + s.getString("id")).json());
    }

    @Test
    void listsSummariesNewestFirstWithOrWithoutSlash() {
        String first = api.newSession();
        String second = api.newSession();
        api.patch("/api/v1/sessions/" + first, "{\"name\":\"touched last\"}");
        for (String path : List.of("/api/v1/sessions", "/api/v1/sessions/")) {
            Api.Resp r = api.get(path);
            assertEquals(200, r.status(), path);
            List<String> ids = r.array().stream()
                    .map(v -> v.asJsonObject().getString("id"))
                    .toList();
            assertTrue(ids.indexOf(first) < ids.indexOf(second), "most recently updated first: " + ids);
            JsonObject summary = r.array().getJsonObject(ids.indexOf(first));
            assertEquals(
                    Set.of("id", "name", "agent", "model", "created_at", "updated_at", "message_count"),
                    summary.keySet());
            assertEquals("touched last", summary.getString("name"));
            assertEquals(0, summary.getInt("message_count"));
        }
    }

    @Test
    void patchesNameModelAndPrompt() {
        String id = api.newSession();
        JsonObject s = api.patch(
                        "/api/v1/sessions/" + id,
                        "{\"name\":\"Renamed\",\"model\":\"anthropic\",\"system_prompt\":\"Speak French.\"}")
                .json();
        assertEquals("Renamed", s.getString("name"));
        assertTrue(s.getString("model").startsWith("anthropic:"), "bare provider gets its default model");
        assertEquals("Speak French.", s.getString("system_prompt"));
        JsonObject cleared =
                api.patch("/api/v1/sessions/" + id, "{\"system_prompt\":\"\"}").json();
        assertEquals(JsonValue.NULL, cleared.get("system_prompt"));
        assertEquals("Renamed", cleared.getString("name"), "fields not sent stay as they were");
    }

    @Test
    void deletes() {
        String id = api.newSession();
        Api.Resp r = api.delete("/api/v1/sessions/" + id);
        assertEquals(200, r.status());
        assertEquals(id, r.json().getString("deleted"));
        assertEquals(404, api.get("/api/v1/sessions/" + id).status());
        Api.Resp again = api.delete("/api/v1/sessions/" + id);
        assertEquals(404, again.status());
        assertEquals("Session not found", again.detail());
    }

    @Test
    void unknownSessionIs404() {
        String id = "0e8e4a8f-1c2b-4b7e-9f3a-3c2d1e0f9a8b";
        for (Api.Resp r : List.of(
                api.get("/api/v1/sessions/" + id),
                api.patch("/api/v1/sessions/" + id, "{\"name\":\"x\"}"),
                api.delete("/api/v1/sessions/" + id))) {
            assertEquals(404, r.status());
            assertEquals("Session not found", r.detail());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "etc-passwd",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "0e8e4a8f-1c2b-4b7e-9f3a-3c2d1e0f9a8g",
                "%2E%2E",
                "0e8e4a8f-1c2b-4b7e-9f3a-3c2d1e0f9a8b.json",
                "not%00a-uuid"
            })
    void idsThatAreNotUuidsAre400(String id) {
        for (Api.Resp r : List.of(
                api.get("/api/v1/sessions/" + id),
                api.patch("/api/v1/sessions/" + id, "{\"name\":\"x\"}"),
                api.delete("/api/v1/sessions/" + id))) {
            assertEquals(400, r.status(), id + ": " + r.body());
            assertEquals("Invalid session ID format", r.detail());
        }
    }

    @Test
    void dotDotNeverReachesASession() {
        // the server resolves these paths to other routes (or none): never a session, never a file
        for (String path : List.of(
                "/api/v1/sessions/..", "/api/v1/sessions/..%2Fetc%2Fpasswd", "/api/v1/sessions/../../../etc/passwd")) {
            Api.Resp r = api.get(path);
            assertTrue(r.status() == 400 || r.status() == 404 || r.body().startsWith("["), path + " -> " + r);
            assertFalse(r.body().contains("root:"), path);
        }
        Api.Resp chat = api.post("/api/v1/chat/invoke", "{\"session_id\":\"../../etc/passwd\",\"message\":\"hi\"}");
        assertEquals(400, chat.status());
        assertEquals("Invalid session ID format", chat.detail());
    }

    @Test
    void badBodiesAreRefusedWithADetail() {
        Api.Resp malformed = api.post("/api/v1/sessions", "{\"name\": ");
        assertEquals(400, malformed.status());
        assertTrue(malformed.detail().startsWith("Malformed JSON"), malformed.detail());

        Api.Resp notObject = api.post("/api/v1/sessions", "[\"name\"]");
        assertEquals(422, notObject.status());

        Api.Resp wrongType = api.post("/api/v1/sessions", "{\"name\": 42}");
        assertEquals(422, wrongType.status());
        assertEquals("'name' must be a string", wrongType.detail());

        Api.Resp badModel = api.post("/api/v1/sessions", "{\"model\": \"skynet:v1\"}");
        assertEquals(422, badModel.status());
        assertTrue(badModel.detail().contains("Unknown provider 'skynet'"), badModel.detail());

        String id = api.newSession();
        Api.Resp emptyName = api.patch("/api/v1/sessions/" + id, "{\"name\": \"  \"}");
        assertEquals(422, emptyName.status());
        assertEquals("'name' must not be empty", emptyName.detail());
    }

    @Test
    void bodiesOverTheLimitAre413() {
        String big = "{\"name\":\"" + "x".repeat(1024 * 1024) + "\"}";
        Api.Resp r = api.post("/api/v1/sessions", big);
        assertEquals(413, r.status());
        assertTrue(r.detail().contains("1048576"), r.detail());
    }
}
