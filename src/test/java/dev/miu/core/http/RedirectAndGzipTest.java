package dev.miu.core.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redirects are refused with the status and the Location named; gzip is asked for and decoded, streams included. */
@Timeout(20)
class RedirectAndGzipTest {

    private final HttpServer server;
    private final KeepAliveHttpClient client = new KeepAliveHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(5), 4);
    private final List<String> acceptEncodings = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstEventRead = new CountDownLatch(1);

    RedirectAndGzipTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().set("Location", "https://api.example.com/v2/messages?token=s3cret");
            exchange.sendResponseHeaders(308, -1);
            exchange.close();
        });
        server.createContext("/found", exchange -> {
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/json", exchange -> {
            acceptEncodings.add(String.valueOf(exchange.getRequestHeaders().getFirst("Accept-Encoding")));
            byte[] body = gzip("{\"text\":\"" + "squeezed ".repeat(100) + "\"}");
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/stream", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = new GZIPOutputStream(exchange.getResponseBody(), 512, true)) {
                out.write("event: first\ndata: one\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush(); // a sync flush: the event leaves compressed but whole
                // the second event waits until the client has read the first: a buffering client would hang here
                if (!firstEventRead.await(10, TimeUnit.SECONDS)) {
                    return;
                }
                out.write("event: second\ndata: two\n\n".getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static byte[] gzip(String text) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void aRedirectIsRefusedNamingItsStatusAndLocationWithoutTheQuery() throws Exception {
        var e = assertThrows(RedirectException.class, () -> client.send(HttpRequest.postJson(uri("/moved"), "{}")));
        assertEquals(308, e.status());
        assertEquals("https://api.example.com/v2/messages?token=s3cret", e.location());
        assertTrue(
                e.getMessage().contains("HTTP 308") && e.getMessage().contains("https://api.example.com/v2/messages"),
                e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), "a query may hold a secret: " + e.getMessage());
        var none = assertThrows(RedirectException.class, () -> client.send(HttpRequest.get(uri("/found"))));
        assertTrue(
                none.getMessage().contains("HTTP 302") && none.getMessage().contains("no Location"), none.getMessage());
    }

    @Test
    void gzipIsAskedForAndDecoded() throws Exception {
        try (HttpResponse response = client.send(HttpRequest.get(uri("/json")))) {
            String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("{\"text\":\"" + "squeezed ".repeat(100) + "\"}", body);
        }
        assertEquals(List.of("gzip"), acceptEncodings);
        var own = HttpRequest.get(uri("/json")).withHeader("Accept-Encoding", "identity;q=1, gzip;q=0.5");
        try (HttpResponse response = client.send(own)) {
            assertTrue(new String(response.body().readAllBytes(), StandardCharsets.UTF_8).contains("squeezed"));
        }
        assertEquals("identity;q=1, gzip;q=0.5", acceptEncodings.get(1), "a caller's own Accept-Encoding is kept");
    }

    @Test
    void aGzipStreamIsDecodedEventByEventAsItArrives() throws Exception {
        try (HttpResponse response = client.send(HttpRequest.get(uri("/stream")))) {
            var events = new SseReader(response.body());
            assertEquals(new SseReader.Event("first", "one", null), events.next());
            firstEventRead.countDown();
            assertEquals(new SseReader.Event("second", "two", null), events.next());
            assertEquals(null, events.next());
        }
    }
}
