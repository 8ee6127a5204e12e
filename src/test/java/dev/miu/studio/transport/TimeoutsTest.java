package dev.miu.studio.transport;

import dev.miu.config.ConnectionLimits;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.studio.StudioFixtures;
import dev.miu.studio.tools.StudioTools;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Idle connections, slow request heads and stalled bodies are closed after their configured times (issue 21,
 * item 3), here 2 s idle, 1 s for a head and 1 s without body bytes. The reads wait far longer than that, so a
 * connection that is not closed fails the test, and no assertion depends on how fast the machine is.
 */
@ServerTest
@Timeout(60)
class TimeoutsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final URI uri;

    TimeoutsTest(URI uri) {
        this.uri = uri;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        var limits = new ConnectionLimits(0, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1));
        var settings = StudioFixtures.server().withLimits(limits);
        StudioFixtures.mount(
                server,
                StudioFixtures.studio(ProviderSettings.NONE, StudioFixtures.tempDir(), settings, StudioTools.none()));
    }

    private Socket open() throws IOException {
        var socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Test
    void anIdleKeepAliveConnectionIsClosed() throws IOException {
        try (var socket = open()) {
            send(socket.getOutputStream(), "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream(), System.nanoTime());
            assertEquals(200, answer.status(), answer.text());
            assertTrue(answer.closed(), "closed by the idle timeout after the answer");
        }
    }

    @Test
    void aSlowRequestHeadGets408() throws Exception {
        try (var log = new LogCapture();
                var socket = open()) {
            var out = socket.getOutputStream();
            send(out, "GET /api/v1/health HTTP/1.1\r\n");
            // a header line every half second: never idle, but the head never ends
            Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 30; i++) {
                        Thread.sleep(500);
                        send(out, "X-Slow-" + i + ": 1\r\n");
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server: what the test waits for
                }
            });
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream(), System.nanoTime());
            assertEquals(408, answer.status(), answer.text());
            assertTrue(answer.detail().contains("server.request-head-timeout"), answer.detail());
            assertTrue(answer.closed());
            Thread.sleep(200);
            // one line for the timeout; the connection's own reader, blocked on the socket the watch closed, may
            // also report the half head it had as a malformed request (Helidon's path, racing the close: seen once
            // in a loaded CI run), which is not a second complaint about the client
            List<String> others = log.messages().stream()
                    .filter(m -> !m.endsWith("Refused a request: 400 Malformed request line"))
                    .toList();
            assertTrue(others.size() <= 1, log.messages().toString());
            assertEquals(log.messages().size(), log.lines(), "no stack trace: " + log.messages());
        }
    }

    @Test
    void aBodyThatStopsGets400() throws Exception {
        try (var log = new LogCapture();
                var socket = open()) {
            send(
                    socket.getOutputStream(),
                    "POST /api/v1/sessions HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"title\":");
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream(), System.nanoTime());
            assertEquals(400, answer.status(), answer.text());
            assertTrue(answer.detail().contains("server.body-timeout"), answer.detail());
            assertTrue(answer.closed());
            Thread.sleep(200);
            assertTrue(log.lines() <= 1, log.messages().toString());
        }
        // and the server goes on answering
        var health = RawHttp.exchange(
                uri, "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", WAIT);
        assertEquals(200, health.status());
    }

    @Test
    void aStalledChunkedBodyGets400() throws IOException {
        try (var socket = open()) {
            send(
                    socket.getOutputStream(),
                    "POST /api/v1/sessions HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n");
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream(), System.nanoTime());
            assertEquals(400, answer.status(), answer.text());
            assertTrue(answer.closed());
        }
    }
}
