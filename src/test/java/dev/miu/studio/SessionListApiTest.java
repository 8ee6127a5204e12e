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

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /sessions?limit=&cursor=&agent=&q=}: pages with an opaque cursor, filters, and 400 for bad values. */
@ServerTest
@Timeout(60)
class SessionListApiTest {

    private static final ProviderSettings PROVIDERS =
            new ProviderSettings(null, null, "sk-unused", "http://127.0.0.1:9/v1", null, null, null);

    private final Api api;

    SessionListApiTest(URI uri) {
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        StudioFixtures.mount(server, StudioFixtures.studio(PROVIDERS, StudioTools.none()));
    }

    @Test
    void pagesWalkTheWholeListOnceWithANextCursor() {
        List<String> all = api.get("/api/v1/sessions").array().stream()
                .map(v -> v.asJsonObject().getString("id"))
                .toList();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(api.newSession());
        }
        List<String> expected = api.get("/api/v1/sessions").array().stream()
                .map(v -> v.asJsonObject().getString("id"))
                .toList();
        assertEquals(all.size() + 5, expected.size(), "no parameters: the whole list, as before");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Api.Resp r = api.get("/api/v1/sessions?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, r.status(), r.body());
            JsonObject page = r.json();
            assertTrue(page.getJsonArray("sessions").size() <= 2);
            page.getJsonArray("sessions").forEach(v -> seen.add(v.asJsonObject().getString("id")));
            cursor = page.get("next_cursor") == JsonValue.NULL ? null : page.getString("next_cursor");
        } while (cursor != null);
        assertEquals(expected, seen);
        assertTrue(seen.containsAll(created));
    }

    @Test
    void filtersByAgentAndText() {
        String id = api.newSession();
        api.patch("/api/v1/sessions/" + id, "{\"name\":\"Quarterly PLANNING notes\"}");
        JsonObject found = api.get("/api/v1/sessions?q=" + URLEncoder.encode("planning NOTES", StandardCharsets.UTF_8))
                .json();
        assertEquals(1, found.getJsonArray("sessions").size());
        assertEquals(id, found.getJsonArray("sessions").getJsonObject(0).getString("id"));
        assertEquals(
                "assistant", found.getJsonArray("sessions").getJsonObject(0).getString("agent"));
        assertTrue(api.get("/api/v1/sessions?agent=assistant&q=quarterly")
                        .json()
                        .getJsonArray("sessions")
                        .size()
                == 1);
        assertEquals(
                0,
                api.get("/api/v1/sessions?agent=someone-else")
                        .json()
                        .getJsonArray("sessions")
                        .size());
    }

    @Test
    void badParametersAre400WithADetail() {
        for (String query : List.of(
                "limit=0",
                "limit=201",
                "limit=ten",
                "cursor=not-a-cursor",
                "cursor=" + java.util.Base64.getUrlEncoder().encodeToString("2026 x".getBytes(StandardCharsets.UTF_8)),
                "q=",
                "q=" + "x".repeat(201),
                "agent=")) {
            Api.Resp r = api.get("/api/v1/sessions?" + query);
            assertEquals(400, r.status(), query + ": " + r.body());
            assertTrue(!r.detail().isBlank(), query);
        }
    }
}
