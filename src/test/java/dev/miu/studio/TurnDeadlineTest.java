package dev.miu.studio;

import dev.miu.config.AgentSettings;
import dev.miu.config.MiuConfig;
import dev.miu.core.json.Json;
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
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code agent.turn-timeout} bounds every turn, also one whose provider keeps its stream alive with pings (so no
 * read ever times out): invoke answers 504, streams end with an {@code error} event, and the session is free again.
 */
@ServerTest
@Timeout(60)
class TurnDeadlineTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private final URI uri;
    private final Api api;

    TurnDeadlineTest(URI uri) {
        this.uri = uri;
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Path data = StudioFixtures.tempDir();
        MiuConfig base = StudioFixtures.config(scripted.settings(), data, StudioFixtures.server());
        AgentSettings agent = base.agent().withTurnTimeout(Duration.ofSeconds(1));
        var config = base.withAgent(agent);
        StudioFixtures.mount(
                server,
                new Studio(config, new FileSessionRepository(data), StudioTools.none(), StudioFixtures.FAST_RETRIES));
    }

    private static String body(String id, String message) {
        return Json.write(
                Json.object().add("session_id", id).add("message", message).build());
    }

    @Test
    void anInvokePastTheDeadlineAnswers504AndFreesTheSession() {
        String id = api.newSession();
        scripted.enqueue(Reply.pingsForever(), Reply.text("Back"));
        Api.Resp late = api.post("/api/v1/chat/invoke", body(id, "Ping me"));
        assertEquals(504, late.status(), late.body());
        assertTrue(late.detail().contains("agent.turn-timeout (1s)"), late.detail());

        Api.Resp next = api.post("/api/v1/chat/invoke", body(id, "Hello again"));
        assertEquals(200, next.status(), next.body());
        assertEquals("Back", next.json().getString("response"));
    }

    @Test
    void aStreamPastTheDeadlineEndsWithAnErrorEvent() {
        String id = api.newSession();
        scripted.enqueue(Reply.pingsForever());
        Api.SseResult stream = api.stream("/api/v1/chat/stream", body(id, "Ping me"));
        assertEquals(200, stream.status());
        assertEquals(List.of("error"), stream.types());
        JsonObject error = stream.events().getFirst();
        assertTrue(error.getString("detail").contains("agent.turn-timeout"), error.toString());
        assertEquals(error.getString("detail"), error.getString("content"));
    }

    @Test
    void aWebSocketTurnPastTheDeadlineGetsAnErrorEvent() {
        String id = api.newSession();
        scripted.enqueue(Reply.pingsForever());
        try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + id)) {
            ws.send("{\"message\":\"Ping me\"}");
            JsonObject error = ws.until("error");
            assertTrue(error.getString("detail").contains("agent.turn-timeout"), error.toString());
        }
    }
}
