package dev.miu.studio;

import dev.miu.core.json.Json;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.studio.tools.StudioTools;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DNS rebinding: a page whose domain was re-resolved to 127.0.0.1 sends its own name as {@code Host}; the studio
 * answers only names that are its own, over HTTP and on the WebSocket upgrade alike.
 */
@ServerTest
@Timeout(60)
class AllowedHostsTest {

    private final URI uri;

    AllowedHostsTest(URI uri) {
        this.uri = uri;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        var settings = StudioFixtures.server().withAllowedHosts(List.of("studio.example.com"));
        StudioFixtures.mount(
                server,
                StudioFixtures.studio(ProviderSettings.NONE, StudioFixtures.tempDir(), settings, StudioTools.none()));
    }

    @Test
    void aRebindingHostIsRefusedOnEveryRoute() {
        for (String path : List.of("/api/v1/sessions", "/api/v1/health", "/")) {
            Exchange r = exchange(uri.getPort(), "GET", path, "rebind.attacker.example:" + uri.getPort(), "");
            assertEquals(403, r.status(), path + ": " + r.raw());
            assertTrue(
                    r.detail().contains("rebind.attacker.example") && r.detail().contains("server.allowed-hosts"),
                    r.detail());
        }
        Exchange write = exchange(uri.getPort(), "POST", "/api/v1/sessions", "rebind.attacker.example", "{}");
        assertEquals(403, write.status(), write.raw());
        assertEquals(List.of(), new Api(uri).get("/api/v1/sessions").array(), "the refused POST created nothing");
    }

    @Test
    void ownNamesPassWhateverThePort() {
        for (String host : List.of(
                "localhost:" + uri.getPort(),
                "LOCALHOST",
                "localhost.",
                "app.localhost:9",
                "127.0.0.1:" + uri.getPort(),
                "[::1]:" + uri.getPort(),
                "10.1.2.3",
                "studio.example.com:443")) {
            assertEquals(
                    200,
                    exchange(uri.getPort(), "GET", "/api/v1/health", host, "").status(),
                    host);
        }
        for (String host : List.of(
                "localhost.attacker.example",
                "example.com",
                "studio.example.com.evil",
                "127.0.0.1.nip.io",
                "sub.studio.example.com")) {
            assertEquals(
                    403,
                    exchange(uri.getPort(), "GET", "/api/v1/health", host, "").status(),
                    host);
        }
    }

    @Test
    void theWebSocketUpgradeChecksTheHostToo() {
        String id = new Api(uri).newSession();
        String path = "/api/v1/chat/ws/" + id;
        Exchange refused = upgrade(uri.getPort(), path, "rebind.attacker.example:" + uri.getPort());
        assertEquals(403, refused.status(), refused.raw());
        assertTrue(refused.detail().contains("is not allowed"), refused.detail());
        Exchange accepted = upgrade(uri.getPort(), path, "localhost:" + uri.getPort());
        assertEquals(101, accepted.status(), accepted.raw());
    }

    @Test
    void aStarAllowsAnyHost() {
        var settings = StudioFixtures.server().withAllowedHosts(List.of("*"));
        var builder = WebServer.builder().host("127.0.0.1").port(0);
        StudioFixtures.mount(
                builder,
                StudioFixtures.studio(ProviderSettings.NONE, StudioFixtures.tempDir(), settings, StudioTools.none()));
        WebServer server = builder.build().start();
        try {
            assertEquals(
                    200,
                    exchange(server.port(), "GET", "/api/v1/health", "anything.example", "")
                            .status());
            String id = new Api(URI.create("http://127.0.0.1:" + server.port())).newSession();
            assertEquals(
                    101,
                    upgrade(server.port(), "/api/v1/chat/ws/" + id, "anything.example")
                            .status());
        } finally {
            server.stop();
        }
    }

    /** What the server answered: its status line's code, and the JSON body's detail if it has one. */
    record Exchange(int status, String raw) {
        String detail() {
            String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
            return Json.parseObject(body).getString("detail");
        }
    }

    private static Exchange exchange(int port, String method, String path, String host, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
                + (content.length == 0 ? "" : "Content-Type: application/json\r\n")
                + "Content-Length: " + content.length + "\r\n\r\n";
        return send(port, head, content, false);
    }

    private static Exchange upgrade(int port, String path, String host) {
        String head = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        return send(port, head, new byte[0], true);
    }

    /** Sends one request over a plain socket and reads the answer (for an upgrade: its head only). */
    private static Exchange send(int port, String head, byte[] content, boolean headOnly) {
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            String raw = headOnly
                    ? readUpgradeAnswer(socket)
                    : new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(raw.substring(9, 12));
            return new Exchange(status, raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 101 keeps the connection open, so read up to the end of the head, plus a refusal's JSON body. */
    private static String readUpgradeAnswer(Socket socket) throws IOException {
        var in = socket.getInputStream();
        var out = new StringBuilder();
        while (!out.toString().contains("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            out.append((char) b);
        }
        String head = out.toString();
        var length =
                java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
        if (length.find()) {
            out.append(new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8));
        }
        return out.toString();
    }
}
