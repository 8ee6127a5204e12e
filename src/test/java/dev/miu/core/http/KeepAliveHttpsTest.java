package dev.miu.core.http;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS as providers are reached: a certificate made for "localhost" by the JDK's keytool, checked by host name. */
@Timeout(60)
class KeepAliveHttpsTest {

    @TempDir
    static Path dir;

    static HttpsServer server;
    static SSLContext trusting;

    @BeforeAll
    static void start() throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "server",
                        "-keyalg",
                        "EC",
                        "-validity",
                        "2",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost",
                        "-keystore",
                        store.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(30, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool: " + out);

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/", exchange -> {
            byte[] body = ("secure " + exchange.getRequestMethod()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void talksTlsToAServerWhoseCertificateNamesTheHost() throws Exception {
        try (var client = new KeepAliveHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(5), 4, trusting)) {
            for (int i = 0; i < 2; i++) {
                try (HttpResponse response = client.send(HttpRequest.postJson(
                        URI.create("https://localhost:" + server.getAddress().getPort() + "/v1"), "{}"))) {
                    assertEquals(200, response.status());
                    assertEquals("secure POST", new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Test
    void refusesACertificateForAnotherNameOrAnUnknownIssuer() throws Exception {
        try (var client = new KeepAliveHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(5), 4, trusting)) {
            // the certificate names localhost, not 127.0.0.1
            assertThrows(
                    SSLHandshakeException.class,
                    () -> client.send(HttpRequest.get(URI.create(
                            "https://127.0.0.1:" + server.getAddress().getPort() + "/"))));
        }
        try (var client = new KeepAliveHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(5), 4)) {
            // the JDK's own trust store does not know this self-signed certificate
            assertThrows(
                    SSLHandshakeException.class,
                    () -> client.send(HttpRequest.get(URI.create(
                            "https://localhost:" + server.getAddress().getPort() + "/"))));
        }
    }
}
