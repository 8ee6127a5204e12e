package dev.miu.studio;

import dev.miu.core.json.Json;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.studio.session.FileSessionRepository;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A storage failure is logged whole on the server and told to the client without the server's paths: over REST,
 * on the /ready probe, on an SSE stream and on the WebSocket.
 */
@Timeout(60)
class StorageFailureTest {

    @TempDir
    Path dataDir;

    @Test
    void anUnwritableStoreAnswersWithoutItsPath() throws IOException {
        Files.writeString(dataDir.resolve("sessions"), "a file where the directory should be");
        WebServer server = StudioServer.start(
                StudioFixtures.studio(ProviderSettings.NONE, dataDir, StudioFixtures.server(), StudioTools.none()));
        try {
            Api api = new Api(URI.create("http://127.0.0.1:" + server.port()));
            Api.Resp create = api.post("/api/v1/sessions", "{}");
            assertEquals(500, create.status());
            assertTrue(create.detail().startsWith("Storage error"), create.detail());
            assertNoPath(create.detail());
            Api.Resp ready = api.get("/api/v1/ready");
            assertEquals(503, ready.status());
            assertNoPath(ready.detail());
        } finally {
            server.stop();
        }
    }

    @Test
    void aTurnWhoseWriteFailsSaysSoWithoutThePath() {
        try (ScriptedLlmServer scripted = ScriptedLlmServer.start()) {
            var store = new DiskFullOnUpdate(new FileSessionRepository(dataDir), dataDir);
            var studio = new Studio(
                    StudioFixtures.config(scripted.settings(), dataDir, StudioFixtures.server()),
                    store,
                    StudioTools.none(),
                    StudioFixtures.FAST_RETRIES);
            WebServer server = StudioServer.start(studio);
            try {
                URI uri = URI.create("http://127.0.0.1:" + server.port());
                Api api = new Api(uri);
                String id = api.newSession();
                String body = Json.write(
                        Json.object().add("session_id", id).add("message", "hi").build());

                scripted.enqueue(Reply.text("hello"));
                Api.Resp invoke = api.post("/api/v1/chat/invoke", body);
                assertEquals(500, invoke.status(), invoke.body());
                assertTrue(invoke.detail().startsWith("Storage error"), invoke.detail());
                assertNoPath(invoke.detail());

                scripted.enqueue(Reply.text("hello"));
                Api.SseResult stream = api.stream("/api/v1/chat/stream", body);
                JsonObject error = stream.events().stream()
                        .filter(e -> e.getString("type").equals("error"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no error event: " + stream.lines()));
                assertNoPath(Json.write(error));

                scripted.enqueue(Reply.text("hello"));
                try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + id)) {
                    ws.send("{\"message\":\"hi\"}");
                    JsonObject wsError = ws.until("error");
                    assertNoPath(Json.write(wsError));
                }
                scripted.assertAllConsumed();
            } finally {
                server.stop();
            }
        }
    }

    private void assertNoPath(String detail) {
        assertFalse(detail.contains(dataDir.toString()), detail);
        assertFalse(detail.contains("/tmp") || detail.contains(System.getProperty("java.io.tmpdir")), detail);
    }

    /** The real store, whose durable writes fail as on a full disk, with the message the file store gives then. */
    private static final class DiskFullOnUpdate extends DelegatingSessionRepository {
        private final Path dir;

        DiskFullOnUpdate(SessionRepository store, Path dir) {
            super(store);
            this.dir = dir;
        }

        @Override
        public Optional<Session> update(String id, UnaryOperator<Session> change) {
            throw new UncheckedIOException(
                    "Cannot save session " + id + " in " + dir.resolve("sessions") + ": No space left on device",
                    new IOException("No space left on device"));
        }

        @Override
        public Optional<Session> updateEndingTurn(String id, UnaryOperator<Session> change) {
            return update(id, change);
        }
    }
}
