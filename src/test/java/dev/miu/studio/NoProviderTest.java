package dev.miu.studio;

import dev.miu.core.provider.ProviderSettings;
import dev.miu.studio.tools.StudioTools;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With no provider configured the studio still serves, and every chat says which settings to set. */
@ServerTest
@Timeout(60)
class NoProviderTest {

    private final URI uri;
    private final Api api;

    NoProviderTest(URI uri) {
        this.uri = uri;
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        StudioFixtures.mount(server, StudioFixtures.studio(ProviderSettings.NONE, StudioTools.none()));
    }

    private static String body(String id) {
        return "{\"session_id\":\"" + id + "\",\"message\":\"Hello?\"}";
    }

    @Test
    void chatsAnswer503NamingTheSettings() {
        var session = api.post("/api/v1/sessions", "{}").json();
        assertEquals(JsonValue.NULL, session.get("model"), "no default model to offer yet");
        String id = session.getString("id");

        Api.Resp invoke = api.post("/api/v1/chat/invoke", body(id));
        assertEquals(503, invoke.status());
        assertTrue(
                invoke.detail().contains("ANTHROPIC_API_KEY") && invoke.detail().contains("OPENAI_API_KEY"),
                invoke.detail());

        Api.Resp stream = api.post("/api/v1/chat/stream", body(id));
        assertEquals(503, stream.status(), "answered before the stream opens, as for /chat/invoke");
        assertEquals("application/json", stream.header("content-type"));
        assertTrue(stream.detail().contains("ANTHROPIC_API_KEY"), stream.detail());

        try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + id)) {
            for (int i = 0; i < 2; i++) {
                ws.send("{\"message\":\"Hello?\"}");
                assertTrue(ws.next().getString("detail").contains("ANTHROPIC_API_KEY"));
            }
            assertTrue(ws.isOpen());
        }
        assertEquals(
                0,
                api.get("/api/v1/sessions/" + id)
                        .json()
                        .getJsonArray("messages")
                        .size(),
                "nothing is stored for a turn that could not start");
    }

    @Test
    void aSessionNamingAProviderWithoutKeyAlsoSays503() {
        String id = api.post("/api/v1/sessions", "{\"model\":\"anthropic:claude-x\"}")
                .json()
                .getString("id");
        Api.Resp invoke = api.post("/api/v1/chat/invoke", body(id));
        assertEquals(503, invoke.status());
        assertTrue(invoke.detail().contains("ANTHROPIC_API_KEY"), invoke.detail());
    }
}
