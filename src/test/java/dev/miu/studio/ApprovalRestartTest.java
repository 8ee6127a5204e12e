package dev.miu.studio;

import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServer;
import jakarta.json.JsonArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A call waiting for approval is part of the session: a new server on the same data can decide and continue it. */
@Timeout(60)
class ApprovalRestartTest {

    @TempDir
    Path dir;

    private static URI uri(WebServer server) {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Test
    void aPauseSurvivesARestartAndIsDecidedOnTheNewServer() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path workspace = Files.createDirectories(dir.resolve("ws"));
        try (ScriptedLlmServer scripted = ScriptedLlmServer.start()) {
            String id;
            String approvalId;
            WebServer first = StudioServer.start(StudioFixtures.studio(
                    scripted.settings(), data, ApprovalChatTest.agents(scripted, data, workspace)));
            try {
                Api api = new Api(uri(first));
                id = api.post("/api/v1/sessions", "{\"agent\":\"coder\"}")
                        .json()
                        .getString("id");
                scripted.enqueue(Reply.toolCall("w1", "Write", "{\"file_path\":\"r.txt\",\"content\":\"kept\"}"));
                JsonArray pending = api.post("/api/v1/chat/invoke", ApprovalChatTest.body(id, "Write r"))
                        .json()
                        .getJsonArray("pending_approvals");
                approvalId = pending.getJsonObject(0).getString("approval_id");
            } finally {
                first.stop();
            }

            WebServer second = StudioServer.start(StudioFixtures.studio(
                    scripted.settings(), data, ApprovalChatTest.agents(scripted, data, workspace)));
            try {
                Api api = new Api(uri(second));
                assertEquals(
                        approvalId,
                        api.get("/api/v1/sessions/" + id)
                                .json()
                                .getJsonArray("pending_approvals")
                                .getJsonObject(0)
                                .getString("approval_id"));
                scripted.enqueue(Reply.text("Written after the restart."));
                Api.Resp r =
                        api.post("/api/v1/sessions/" + id + "/approvals/" + approvalId, "{\"decision\":\"approve\"}");
                assertEquals(200, r.status(), r.body());
                assertEquals("Written after the restart.", r.json().getString("response"));
                assertEquals("kept", Files.readString(workspace.resolve("r.txt")));
            } finally {
                second.stop();
            }
            scripted.assertAllConsumed();
        }
    }
}
