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

/** Sessions and their conversations survive stopping the server and starting a new one on the same data. */
@Timeout(60)
class StudioRestartTest {

    @TempDir
    Path dataDir;

    private static URI uri(WebServer server) {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Test
    void sessionsSurviveARestart() {
        try (ScriptedLlmServer scripted = ScriptedLlmServer.start()) {
            scripted.enqueue(Reply.text("Remembered"), Reply.text("Still remembered"));
            String id;
            WebServer first = StudioServer.start(
                    StudioFixtures.studio(scripted.settings(), dataDir, StudioFixtures.server(), StudioTools.none()));
            try {
                Api api = new Api(uri(first));
                id = api.post("/api/v1/sessions", "{\"name\":\"Keep me\"}")
                        .json()
                        .getString("id");
                assertEquals(
                        200,
                        api.post("/api/v1/chat/invoke", "{\"session_id\":\"" + id + "\",\"message\":\"Remember this\"}")
                                .status());
            } finally {
                first.stop();
            }

            WebServer second = StudioServer.start(
                    StudioFixtures.studio(scripted.settings(), dataDir, StudioFixtures.server(), StudioTools.none()));
            try {
                Api api = new Api(uri(second));
                JsonObject session = api.get("/api/v1/sessions/" + id).json();
                assertEquals("Keep me", session.getString("name"));
                assertEquals(2, session.getJsonArray("messages").size());
                assertEquals(
                        id, api.get("/api/v1/sessions").array().getJsonObject(0).getString("id"));
                JsonObject r = api.post(
                                "/api/v1/chat/invoke", "{\"session_id\":\"" + id + "\",\"message\":\"Still there?\"}")
                        .json();
                assertEquals(4, r.getInt("message_count"));
                assertEquals(
                        3,
                        scripted.lastRequest().json().getJsonArray("messages").size(),
                        "the old history went back");
            } finally {
                second.stop();
            }
            scripted.assertAllConsumed();
        }
    }
}
