package dev.miu.studio.transport;

import dev.miu.core.provider.ProviderSettings;
import dev.miu.studio.StudioFixtures;
import dev.miu.studio.tools.StudioTools;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests an attacker or a broken client sends get a 4xx with a {@code detail}, never a 500, never a wait, and at
 * most one log line each (issue 21, item 6).
 */
@ServerTest
@Timeout(60)
class BadInputTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private final URI uri;

    BadInputTest(URI uri) {
        this.uri = uri;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        StudioFixtures.mount(server, StudioFixtures.studio(ProviderSettings.NONE, StudioTools.none()));
    }

    private static String post(String path, String headers, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + headers + "\r\n"
                + body;
    }

    /** A well-framed JSON body: the connection may stay open after a 400 for its content, so this one asks to close. */
    private static String json(String body) {
        return post(
                "/api/v1/sessions",
                "Connection: close\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n",
                body);
    }

    /** Sends {@code request}, expects {@code status} with a detail containing {@code detail}, and at most one log line. */
    private RawHttp.Answer refused(String request, int status, String detail) throws Exception {
        try (var log = new LogCapture()) {
            RawHttp.Answer answer = RawHttp.exchange(uri, request, WAIT);
            Thread.sleep(200); // a log line written after the answer still counts
            assertEquals(status, answer.status(), answer.text());
            assertNotNull(answer.detail(), "a JSON detail: " + answer.text());
            assertTrue(answer.detail().contains(detail), answer.detail());
            assertTrue(answer.closed(), "the connection closes after a malformed request, not waiting " + WAIT);
            assertEquals(1, answer.responses(), answer.text());
            assertTrue(log.lines() <= 1, "at most one log line: " + log.messages());
            return answer;
        }
    }

    @Test
    void deeplyNestedJsonIs400() throws Exception {
        refused(json("[".repeat(2000)), 400, "nested deeper than");
        refused(json("{\"title\":" + "[".repeat(2000) + "}"), 400, "nested deeper than");
    }

    @Test
    void aNumberOfThousandsOfDigitsIs400() throws Exception {
        refused(json("{\"title\": 1" + "1".repeat(5000) + "}"), 400, "a number longer than");
    }

    @Test
    void chunkExtensionsAndBadChunkSizesAre400AndClose() throws Exception {
        String chunked = "Transfer-Encoding: chunked\r\n";
        refused(
                post("/api/v1/sessions", chunked, "2;ext=1\r\n{}\r\n0\r\n\r\n"),
                400,
                "chunk extensions are not supported");
        refused(post("/api/v1/sessions", chunked, "zz\r\n{}\r\n0\r\n\r\n"), 400, "not a hexadecimal number");
        refused(post("/api/v1/chat/invoke", chunked, "-5\r\n{}\r\n0\r\n\r\n"), 400, "Malformed chunked request body");
    }

    @Test
    void malformedMethodsAre400() throws Exception {
        refused("G@T /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "Malformed request line");
        refused("GET\r\n\r\n", 400, "");
    }

    @Test
    void getStaticIs404() throws Exception {
        var answer =
                RawHttp.exchange(uri, "GET /static HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", WAIT);
        assertEquals(404, answer.status(), answer.text());
        assertEquals("Not Found", answer.detail());
        assertEquals(
                404,
                RawHttp.exchange(uri, "GET /webjars HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", WAIT)
                        .status());
    }

    @Test
    void twoDifferentContentLengthsAre400() throws Exception {
        refused(post("/api/v1/sessions", "Content-Length: 2\r\nContent-Length: 7\r\n", "{}"), 400, "Content-Length");
    }

    @Test
    void aNegativeContentLengthIs400() throws Exception {
        refused(post("/api/v1/sessions", "Content-Length: -5\r\n", "{}"), 400, "Content length");
    }

    @Test
    void aBodyShorterThanItsContentLengthIs400AtOnce() throws Exception {
        try (var log = new LogCapture();
                var socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream()
                    .write(post("/api/v1/sessions", "Content-Length: 50\r\n", "{}")
                            .getBytes(StandardCharsets.ISO_8859_1));
            socket.shutdownOutput(); // nothing more is coming
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream(), System.nanoTime());
            Thread.sleep(200);
            assertEquals(400, answer.status(), answer.text());
            assertTrue(answer.detail().contains("ended after 2 bytes but its Content-Length is 50"), answer.detail());
            assertTrue(log.lines() <= 1, log.messages().toString());
        }
    }

    @Test
    void http10RequestsAreAnswered() throws IOException {
        var answer = RawHttp.exchange(uri, "GET /api/v1/health HTTP/1.0\r\n\r\n", WAIT);
        assertEquals(200, answer.status(), answer.text());
        assertTrue(answer.text().endsWith("{\"status\":\"ok\"}"), answer.text());
        assertTrue(answer.closed(), "an HTTP/1.0 answer ends with the connection");
        var withHost =
                RawHttp.exchange(uri, "GET /api/v1/health HTTP/1.0\r\nHost: localhost\r\nUser-Agent: ab\r\n\r\n", WAIT);
        assertEquals(200, withHost.status(), withHost.text());
    }

    @Test
    void goodRequestsStillWorkOnOneConnection() throws IOException {
        String body = "{\"title\":\"a\"}";
        String two = post("/api/v1/sessions", "Content-Length: " + body.length() + "\r\n", body)
                + "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        var answer = RawHttp.exchange(uri, two, WAIT);
        assertEquals(2, answer.responses(), answer.text());
        assertTrue(answer.text().contains("201 Created") || answer.text().contains("200 OK"), answer.text());
    }
}
