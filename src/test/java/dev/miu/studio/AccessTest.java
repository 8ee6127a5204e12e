package dev.miu.studio;

import dev.miu.config.ServerSettings;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.studio.tools.StudioTools;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bearer-token auth on every /api route but the health probes, and on the WebSocket; and CORS limited to the configured origins. */
@ServerTest
@Timeout(60)
class AccessTest {

    private static final String TOKEN = "s3cret-token";
    private static final String ALLOWED = "http://allowed.example";

    private final URI uri;
    private final Api anonymous;
    private final Api authorised;

    AccessTest(URI uri) {
        this.uri = uri;
        this.anonymous = new Api(uri);
        this.authorised = new Api(uri, "Authorization", "Bearer " + TOKEN);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        var settings = new ServerSettings("127.0.0.1", 0, TOKEN, List.of(ALLOWED), 1024 * 1024);
        StudioFixtures.mount(
                server,
                StudioFixtures.studio(ProviderSettings.NONE, StudioFixtures.tempDir(), settings, StudioTools.none()));
    }

    @Test
    void everyApiRouteNeedsTheToken() {
        for (String path : List.of("/api/v1/sessions", "/api/v1/nope", "/api/v1/health/x", "/api/v1/readyz", "/api")) {
            Api.Resp r = anonymous.get(path);
            assertEquals(401, r.status(), path);
            assertTrue(r.detail().contains("API key"), r.detail());
            assertEquals("Bearer", r.header("www-authenticate"));
        }
        assertEquals(
                401,
                anonymous
                        .withHeaders("Authorization", "Bearer wrong")
                        .get("/api/v1/sessions")
                        .status());
        assertEquals(401, anonymous.post("/api/v1/sessions", "{}").status());
        assertEquals(200, authorised.get("/api/v1/health").status());
        assertEquals(201, authorised.post("/api/v1/sessions", "{}").status());
        assertEquals(200, anonymous.get("/").status(), "the page itself is public; its API calls are not");
    }

    @Test
    void healthProbesNeedNoToken() {
        for (String path : List.of("/api/v1/health", "/api/v1/ready")) {
            assertEquals(200, anonymous.get(path).status(), path);
            assertEquals(200, anonymous.send("HEAD", path, null).status(), "HEAD " + path);
            String head = anonymous.closingExchange("HEAD", path, null);
            assertTrue(head.startsWith("HTTP/1.1 200") && head.endsWith("\r\n\r\n"), "HEAD has no body: " + head);
            assertEquals(401, anonymous.post(path, "{}").status(), "POST " + path + " is not a probe");
        }
        assertEquals("ok", anonymous.get("/api/v1/health").json().getString("status"));
    }

    @Test
    void corsAllowsOnlyTheConfiguredOrigins() {
        Api.Resp preflight = anonymous
                .withHeaders("Origin", ALLOWED, "Access-Control-Request-Method", "POST")
                .send("OPTIONS", "/api/v1/sessions", null);
        assertEquals(204, preflight.status());
        assertEquals(ALLOWED, preflight.header("access-control-allow-origin"));
        assertTrue(preflight.header("access-control-allow-headers").contains("Authorization"));
        Api.Resp sdk = anonymous
                .withHeaders(
                        "Origin",
                        ALLOWED,
                        "Access-Control-Request-Method",
                        "POST",
                        "Access-Control-Request-Headers",
                        "authorization, content-type, x-stainless-os")
                .send("OPTIONS", "/v1/chat/completions", null);
        assertEquals(204, sdk.status());
        assertEquals(
                "authorization, content-type, x-stainless-os",
                sdk.header("access-control-allow-headers"),
                "an allowed origin may send the headers it asks for");

        Api.Resp allowed = authorised
                .withHeaders("Authorization", "Bearer " + TOKEN, "Origin", ALLOWED)
                .get("/api/v1/sessions");
        assertEquals(200, allowed.status());
        assertEquals(ALLOWED, allowed.header("access-control-allow-origin"));

        Api evil = anonymous.withHeaders("Authorization", "Bearer " + TOKEN, "Origin", "http://evil.example");
        Api.Resp read = evil.get("/api/v1/sessions");
        assertNull(read.header("access-control-allow-origin"), "no CORS grant, so the browser hides the answer");
        Api.Resp write = evil.post("/api/v1/sessions", "{}");
        assertEquals(403, write.status());
        assertTrue(write.detail().contains("not allowed"));
    }

    @Test
    void theWebSocketNeedsTheTokenToo() {
        String id = authorised.newSession();
        String path = "/api/v1/chat/ws/" + id;
        CompletionException none = assertThrows(CompletionException.class, () -> WsClient.connect(uri, path));
        assertInstanceOf(WebSocketHandshakeException.class, none.getCause());
        assertThrows(CompletionException.class, () -> WsClient.connect(uri, path + "?token=wrong"));
        try (WsClient ws = WsClient.connect(uri, path, "Authorization", "Bearer " + TOKEN)) {
            ws.send("{\"message\":\"hi\"}");
            assertEquals("error", ws.next().getString("type"), "no provider here, but the connection was accepted");
        }
        try (WsClient ws = WsClient.connect(uri, path + "?token=" + TOKEN, "Origin", ALLOWED)) {
            assertTrue(ws.isOpen());
        }
    }
}
