package dev.miu.studio;

import dev.miu.core.provider.ProviderSettings;
import dev.miu.studio.tools.StudioTools;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, readiness, the UI files with their CSP, and JSON 404s for everything else. */
@ServerTest
@Timeout(60)
class HealthAndStaticTest {

    private final Api api;

    HealthAndStaticTest(URI uri) {
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        StudioFixtures.mount(server, StudioFixtures.studio(ProviderSettings.NONE, StudioTools.none()));
    }

    @Test
    void healthAndReady() {
        Api.Resp health = api.get("/api/v1/health");
        assertEquals(200, health.status());
        assertEquals("{\"status\":\"ok\"}", health.body());
        Api.Resp ready = api.get("/api/v1/ready");
        assertEquals(200, ready.status());
        assertEquals("{\"status\":\"ready\"}", ready.body());
    }

    @Test
    void rootServesTheChatPageWithACsp() {
        Api.Resp r = api.get("/");
        assertEquals(200, r.status());
        assertTrue(r.header("content-type").startsWith("text/html"));
        assertTrue(r.body().contains("/static/app.js"));
        assertTrue(r.header("content-security-policy").contains("script-src 'self'"));
        assertEquals("nosniff", r.header("x-content-type-options"));
    }

    @Test
    void staticFilesComeFromTheJar() {
        Api.Resp js = api.get("/static/app.js");
        assertEquals(200, js.status());
        assertTrue(js.header("content-type").startsWith("text/javascript"));
        assertTrue(js.body().contains("/sessions"));
        assertTrue(api.get("/static/chat.js").body().contains("/chat/stream"));
        assertEquals(200, api.get("/static/styles.css").status());
    }

    @Test
    void unknownRoutesAreJson404s() {
        for (String path : new String[] {
            "/nope",
            "/api/v1/nope",
            "/api/v2/sessions",
            "/static/missing.js",
            "/static/%2E%2E/app.yaml",
            "/static/.hidden"
        }) {
            Api.Resp r = api.get(path);
            assertEquals(404, r.status(), path);
            assertEquals("Not Found", r.detail(), path);
        }
        Api.Resp method = api.send("PUT", "/api/v1/sessions", "{}");
        assertEquals(404, method.status());
    }

    @Test
    void connectionCloseEndsTheConnectionAfterTheResponse() {
        String health = api.closingExchange("GET", "/api/v1/health", null);
        assertTrue(health.startsWith("HTTP/1.1 200 "), health);
        assertTrue(health.endsWith("{\"status\":\"ok\"}"), health);
        String created = api.closingExchange("POST", "/api/v1/sessions", "{\"name\":\"closing\"}");
        assertTrue(created.startsWith("HTTP/1.1 201 "), created);
        assertTrue(created.contains("\"name\":\"closing\""), created);
        assertTrue(api.closingExchange("GET", "/nope", null).startsWith("HTTP/1.1 404 "));
        // errors that handlers throw, answered by the error handlers
        assertTrue(api.closingExchange("GET", "/api/v1/sessions/0e8e4a8f-1c2b-4b7e-9f3a-3c2d1e0f9a8b", null)
                .startsWith("HTTP/1.1 404 "));
        assertTrue(api.closingExchange("POST", "/api/v1/sessions", "{not json").startsWith("HTTP/1.1 400 "));
        assertTrue(api.closingExchange("GET", "/", null).contains("/static/app.js"));
        // without it, the connection stays open for the next request
        assertEquals(200, api.get("/api/v1/health").status());
        assertEquals(200, api.get("/api/v1/ready").status());
    }
}
