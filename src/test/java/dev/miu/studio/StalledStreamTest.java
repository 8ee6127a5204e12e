package dev.miu.studio;

import dev.miu.config.MiuConfig;
import dev.miu.core.json.Json;
import dev.miu.studio.session.FileSessionRepository;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An SSE client that stops reading (its connection open, its buffers full) does not hold its session's turn: a
 * write blocked for {@code server.stream-write-timeout} closes the stream and cancels the turn.
 */
@ServerTest
@Timeout(90)
class StalledStreamTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private final URI uri;
    private final Api api;

    StalledStreamTest(URI uri) {
        this.uri = uri;
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Path data = StudioFixtures.tempDir();
        var settings = StudioFixtures.server().withStreamWriteTimeout(Duration.ofMillis(500));
        MiuConfig config = StudioFixtures.config(scripted.settings(), data, settings);
        StudioFixtures.mount(
                server,
                new Studio(config, new FileSessionRepository(data), StudioTools.none(), StudioFixtures.FAST_RETRIES));
    }

    private static String body(String id, String message) {
        return Json.write(
                Json.object().add("session_id", id).add("message", message).build());
    }

    @Test
    void aClientThatStopsReadingHasItsTurnCancelled() throws Exception {
        String id = api.newSession();
        // about 16 MB of events: far more than the socket buffers between the server and a client that reads nothing
        String word = "x".repeat(200);
        scripted.enqueue(Reply.text((word + " ").repeat(80_000).strip()));
        try (Socket stalled = RawHttp.post(uri, "/api/v1/chat/stream", body(id, "Tell me everything"), 4096)) {
            assertTrue(RawHttp.await(() -> scripted.requestCount() > 0, Duration.ofSeconds(10)));
            scripted.enqueue(Reply.text("Back"));
            boolean free = RawHttp.await(
                    () -> api.post("/api/v1/chat/invoke", body(id, "Still there?"))
                                    .status()
                            != 409,
                    Duration.ofSeconds(30));
            assertTrue(free, "the stalled stream's turn was cancelled while its client stayed connected");
            assertTrue(stalled.isConnected() && !stalled.isClosed());
        }
        var messages = api.get("/api/v1/sessions/" + id).json().getJsonArray("messages");
        assertEquals(
                "Back",
                messages.getJsonObject(messages.size() - 1)
                        .getJsonArray("content")
                        .getJsonObject(0)
                        .getString("text"));
        scripted.assertAllConsumed();
    }
}
