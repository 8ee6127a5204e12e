package dev.miu.core.http;

import com.sun.net.httpserver.HttpServer;
import dev.miu.testing.RecordingProxy;
import dev.miu.testing.TestCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's routing through a real proxy ({@link RecordingProxy}): which requests go through it, and that TLS
 * through its tunnel still checks the target's certificate. The server listens on every address and is called as
 * {@code 0.0.0.0}, which this machine answers but which is not loopback, so NO_PROXY decides.
 */
@Timeout(30)
class ProxyRoutingTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private HttpServer server() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(0), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("answered " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        toClose.add(() -> server.stop(0));
        return server;
    }

    private KeepAliveHttpClient client(ProxySettings proxies, javax.net.ssl.SSLContext tls) {
        var client = new KeepAliveHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(5), 4, tls, proxies);
        toClose.add(client);
        return client;
    }

    private static String get(KeepAliveHttpClient client, String url) throws IOException {
        try (HttpResponse response = client.send(HttpRequest.get(URI.create(url)))) {
            return response.status() + " " + new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void noProxyHostsAreReachedDirectlyAndOthersThroughTheProxy() throws Exception {
        HttpServer server = server();
        var proxy = RecordingProxy.start();
        toClose.add(proxy);
        String url = "http://0.0.0.0:" + server.getAddress().getPort() + "/v1/models";

        var bypassing = client(
                ProxySettings.fromEnvironment(Map.of("HTTP_PROXY", proxy.url(), "NO_PROXY", "example.com,0.0.0.0")),
                null);
        assertEquals("200 answered /v1/models", get(bypassing, url));
        var everything =
                client(ProxySettings.fromEnvironment(Map.of("HTTP_PROXY", proxy.url(), "NO_PROXY", "*")), null);
        assertEquals("200 answered /v1/models", get(everything, url));
        assertEquals(List.of(), proxy.seen(), "NO_PROXY kept both requests away from the proxy");

        var proxied = client(
                ProxySettings.fromEnvironment(Map.of("HTTP_PROXY", proxy.url(), "NO_PROXY", "example.com")), null);
        assertEquals("200 answered /v1/models", get(proxied, url));
        assertEquals(List.of(new RecordingProxy.Seen("GET " + url + " HTTP/1.1", null)), proxy.seen());
    }

    @Test
    void theTunnelCarriesTlsCheckedForTheTargetsName() throws Exception {
        var certificate = TestCertificate.forHost(dir, "provider.test");
        var https = com.sun.net.httpserver.HttpsServer.create(
                new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(certificate.server()));
        https.createContext("/", exchange -> {
            byte[] body = "secure".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        https.start();
        toClose.add(() -> https.stop(0));
        var proxy = RecordingProxy.start();
        toClose.add(proxy);
        int port = https.getAddress().getPort();
        var proxies = ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", proxy.url()));

        assertEquals("200 secure", get(client(proxies, certificate.trusting()), "https://provider.test:" + port + "/"));
        assertEquals(
                "CONNECT provider.test:" + port + " HTTP/1.1",
                proxy.seen().getFirst().requestLine());
        // the proxy would tunnel to anything; the certificate check is the client's, end to end
        assertThrows(
                SSLHandshakeException.class,
                () -> get(client(proxies, certificate.trusting()), "https://other.test:" + port + "/"));
        var unknownIssuer = assertThrows(
                SSLHandshakeException.class, () -> get(client(proxies, null), "https://provider.test:" + port + "/"));
        assertTrue(unknownIssuer.getMessage() != null, "the JDK's trust store does not know the test certificate");
    }
}
