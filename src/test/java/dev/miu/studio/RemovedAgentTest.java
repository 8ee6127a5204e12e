package dev.miu.studio;

import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A session whose agent was removed from the configuration between two runs of the server: its turns are refused
 * with 409 saying what to do, on every transport, and nothing of it is lost; after a PATCH of its agent it goes on.
 */
@Timeout(60)
class RemovedAgentTest {

    private static final String GONE = "Agent 'researcher' of this session is no longer configured; known agents: "
            + "assistant; PATCH the session's agent to continue it";

    @TempDir
    Path dataDir;

    private static URI uri(WebServer server) {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    private static String body(String id, String message) {
        return "{\"session_id\":\"" + id + "\",\"message\":\"" + message + "\"}";
    }

    @Test
    void aSessionOnARemovedAgentIsRefusedAndKept() {
        try (ScriptedLlmServer scripted = ScriptedLlmServer.start()) {
            var assistant = TestCatalog.model("assistant", "Answers anything", null, "Be helpful.");
            var before = new TestCatalog(
                    scripted.settings(),
                    "assistant",
                    StudioTools.none(),
                    assistant,
                    TestCatalog.model("researcher", "Finds things", null, "Research."));
            String id;
            WebServer first = StudioServer.start(StudioFixtures.studio(scripted.settings(), dataDir, before));
            try {
                Api api = new Api(uri(first));
                id = api.post("/api/v1/sessions", "{\"agent\":\"researcher\"}")
                        .json()
                        .getString("id");
                scripted.enqueue(Reply.text("Found it"));
                assertEquals(
                        200,
                        api.post("/api/v1/chat/invoke", body(id, "Find it")).status());
            } finally {
                first.stop();
            }

            var after = new TestCatalog(scripted.settings(), "assistant", StudioTools.none(), assistant);
            WebServer second = StudioServer.start(StudioFixtures.studio(scripted.settings(), dataDir, after));
            try {
                Api api = new Api(uri(second));
                JsonObject session = api.get("/api/v1/sessions/" + id).json();
                assertEquals("researcher", session.getString("agent"), "the session still says what it ran");
                assertEquals(2, session.getJsonArray("messages").size());
                assertEquals(
                        "researcher",
                        api.get("/api/v1/sessions").array().getJsonObject(0).getString("agent"));

                Api.Resp invoked = api.post("/api/v1/chat/invoke", body(id, "Again"));
                assertEquals(409, invoked.status());
                assertEquals(GONE, invoked.detail());
                Api.SseResult stream = api.stream("/api/v1/chat/stream", body(id, "Again"));
                assertEquals(409, stream.status(), "refused before the stream opens");
                try (WsClient ws = WsClient.connect(uri(second), "/api/v1/chat/ws/" + id)) {
                    ws.send("{\"message\":\"Again\"}");
                    JsonObject error = ws.next();
                    assertEquals("error", error.getString("type"));
                    assertEquals(GONE, error.getString("detail"));
                }
                assertEquals(
                        session.getJsonArray("messages"),
                        api.get("/api/v1/sessions/" + id).json().getJsonArray("messages"),
                        "nothing was added or lost");

                Api.Resp patched = api.patch("/api/v1/sessions/" + id, "{\"agent\":\"assistant\"}");
                assertEquals(200, patched.status(), patched.body());
                scripted.enqueue(Reply.text("Back again"));
                Api.Resp resumed = api.post("/api/v1/chat/invoke", body(id, "Are you there?"));
                assertEquals(200, resumed.status(), resumed.body());
                assertEquals(4, resumed.json().getInt("message_count"));
                assertEquals(
                        3,
                        scripted.lastRequest().json().getJsonArray("messages").size(),
                        "with its history");
            } finally {
                second.stop();
            }
            scripted.assertAllConsumed();
        }
    }
}
