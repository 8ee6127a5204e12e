package dev.miu.core.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against a raw socket server, so each test controls the exact bytes and when connections close. */
@Timeout(20)
class KeepAliveHttpClientTest {

    /** Answers each request on a connection with {@code handler}; counts connections, records request heads. */
    private static final class RawServer implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final List<String> heads = new CopyOnWriteArrayList<>();
        final List<Socket> open = new CopyOnWriteArrayList<>();

        RawServer(BiConsumer<String, OutputStream> handler, int requestsPerConnection) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        open.add(s);
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> serve(s, handler, requestsPerConnection));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void serve(Socket s, BiConsumer<String, OutputStream> handler, int requestsPerConnection) {
            try (s) {
                var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                for (int i = 0; i < requestsPerConnection; i++) {
                    var head = new StringBuilder();
                    String line;
                    int length = 0;
                    while ((line = in.readLine()) != null && !line.isEmpty()) {
                        head.append(line).append('\n');
                        if (line.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).strip());
                        }
                    }
                    if (line == null) {
                        return;
                    }
                    char[] body = new char[length];
                    int read = 0;
                    while (read < length) {
                        read += in.read(body, read, length - read);
                    }
                    heads.add(head + new String(body));
                    handler.accept(head.toString(), s.getOutputStream());
                    s.getOutputStream().flush();
                }
            } catch (IOException ignored) {
                // the client went away
            }
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private RawServer server(BiConsumer<String, OutputStream> handler, int requestsPerConnection) throws IOException {
        var server = new RawServer(handler, requestsPerConnection);
        toClose.add(server);
        return server;
    }

    private KeepAliveHttpClient client(Duration readTimeout) {
        var client = new KeepAliveHttpClient(Duration.ofSeconds(5), readTimeout, 8);
        toClose.add(client);
        return client;
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String body(HttpResponse response) throws IOException {
        try (response) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsLengthAndChunkedBodiesAndReusesTheConnection() throws Exception {
        AtomicInteger n = new AtomicInteger();
        var server = server(
                (head, out) -> {
                    if (n.getAndIncrement() % 2 == 0) {
                        write(
                                out,
                                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}");
                    } else {
                        write(
                                out,
                                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Two: a\r\nx-two: b\r\n\r\n"
                                        + "6;ext=1\r\ndata: \r\n5\r\nhello\r\n0\r\nTrailer: t\r\n\r\n");
                    }
                },
                100);
        var client = client(Duration.ofSeconds(5));

        HttpResponse first = client.send(HttpRequest.postJson(server.uri("/v1/messages?x=1"), "{\"q\":\"é\"}")
                .withHeader("x-api-key", "secret"));
        assertEquals(200, first.status());
        assertEquals("application/json", first.header("CONTENT-TYPE").orElseThrow());
        assertEquals("{\"ok\":true}", body(first));
        HttpResponse second = client.send(HttpRequest.get(server.uri("/stream")));
        assertEquals(List.of("a", "b"), second.headers().get("x-two"));
        assertEquals("data: hello", body(second));
        assertEquals("{\"ok\":true}", body(client.send(HttpRequest.get(server.uri("/")))));

        assertEquals(1, server.connections.get(), "one keep-alive connection for three calls");
        String head = server.heads.getFirst();
        assertTrue(head.startsWith("POST /v1/messages?x=1 HTTP/1.1\n"), head);
        assertTrue(head.contains("Host: 127.0.0.1:" + server.socket.getLocalPort()), head);
        assertTrue(head.contains("Content-Length: 10"), "UTF-8 bytes counted: " + head);
        assertTrue(head.contains("x-api-key: secret"), head);
    }

    @Test
    void aBodyClosedJustBeforeItsEndStillLeavesTheConnectionReusable() throws Exception {
        // like a model stream read up to its message_stop: the chunked terminator follows a little later
        var server = server(
                (head, out) -> {
                    write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nstop\r\n");
                    try {
                        out.flush();
                        Thread.sleep(head.contains("late") ? 200 : 0);
                    } catch (IOException | InterruptedException ignored) {
                        // test over
                    }
                    write(out, "0\r\n\r\n");
                },
                100);
        var client = client(Duration.ofSeconds(5));
        for (String path : List.of("/soon", "/late", "/soon")) {
            try (HttpResponse response = client.send(HttpRequest.get(server.uri(path)))) {
                assertEquals("stop", new String(response.body().readNBytes(4), StandardCharsets.UTF_8));
            } // closed before reading the terminator
            Thread.sleep(path.equals("/late") ? 400 : 0); // the late terminator is drained in the background
        }
        assertEquals(1, server.connections.get(), "the connection was drained and reused");
    }

    @Test
    void aPooledConnectionTheServerClosedIsReplacedWithoutAnError() throws Exception {
        // the server answers one request per connection and then closes it, without saying so
        var server = server((head, out) -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), 1);
        var client = client(Duration.ofSeconds(5));
        for (int i = 0; i < 3; i++) {
            assertEquals("ok", body(client.send(HttpRequest.postJson(server.uri("/"), "{}"))));
            Thread.sleep(50); // let the close arrive
        }
        assertEquals(3, server.connections.get());
        assertEquals(3, server.heads.size(), "each request sent once: " + server.heads.size());
    }

    @Test
    void connectionCloseAndBodiesReadToTheEndOfTheConnection() throws Exception {
        var server = server((head, out) -> write(out, "HTTP/1.0 200 OK\r\n\r\nuntil close"), 1);
        var client = client(Duration.ofSeconds(5));
        assertEquals("until close", body(client.send(HttpRequest.get(server.uri("/")))));
        assertEquals("until close", body(client.send(HttpRequest.get(server.uri("/")))));
        assertEquals(2, server.connections.get());
    }

    @Test
    void aSilentStreamIsCutAfterTheReadTimeout() throws Exception {
        var server = server(
                (head, out) -> {
                    write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
                    try {
                        out.flush();
                        Thread.sleep(5_000);
                    } catch (IOException | InterruptedException ignored) {
                        // test over
                    }
                },
                1);
        var client = client(Duration.ofMillis(300));
        HttpResponse response = client.send(HttpRequest.get(server.uri("/")));
        byte[] buf = new byte[5];
        assertEquals(5, response.body().readNBytes(buf, 0, 5));
        long start = System.nanoTime();
        var e = assertThrows(SocketTimeoutException.class, () -> response.body().read());
        assertTrue(e.getMessage().startsWith("stream silent for more than"), e.getMessage());
        assertTrue(System.nanoTime() - start < 3_000_000_000L);
    }

    @Test
    void noResponseHeadWithinTheReadTimeoutAndARefusedConnectionAreNamed() throws Exception {
        var server = server(
                (head, out) -> {
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException ignored) {
                        // test over
                    }
                },
                1);
        var client = client(Duration.ofMillis(300));
        var timeout = assertThrows(SocketTimeoutException.class, () -> client.send(HttpRequest.get(server.uri("/"))));
        assertTrue(timeout.getMessage().startsWith("no response within"), timeout.getMessage());

        int port;
        try (var closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        var refused = assertThrows(
                java.net.ConnectException.class,
                () -> client.send(HttpRequest.get(URI.create("http://127.0.0.1:" + port + "/"))));
        assertEquals("could not connect to 127.0.0.1:" + port, refused.getMessage());
    }

    @Test
    void interruptingTheCallerClosesTheStream() throws Exception {
        var server = server(
                (head, out) -> {
                    write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                    try {
                        out.flush();
                        Thread.sleep(10_000);
                    } catch (IOException | InterruptedException ignored) {
                        // test over
                    }
                },
                1);
        var client = client(Duration.ofSeconds(30));
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try (HttpResponse response = client.send(HttpRequest.get(server.uri("/")))) {
                response.body().read();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Thread.sleep(300);
        long start = System.nanoTime();
        caller.interrupt();
        caller.join(5_000);
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "the read ended on the interrupt");
        assertTrue(failure.get() instanceof IOException, String.valueOf(failure.get()));
    }

    @Test
    void malformedResponsesAndHeaderInjectionAreRefused() throws Exception {
        var server = server((head, out) -> write(out, "SSH-2.0-OpenSSH\r\n\r\n"), 1);
        var client = client(Duration.ofSeconds(5));
        var e = assertThrows(IOException.class, () -> client.send(HttpRequest.get(server.uri("/"))));
        assertTrue(e.getMessage().contains("not an HTTP/1.x response"), e.getMessage());

        var bad = assertThrows(
                IllegalArgumentException.class,
                () -> HttpRequest.get(server.uri("/")).withHeader("x-api-key", "key\r\nX-Evil: 1"));
        assertTrue(bad.getMessage().contains("x-api-key"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HttpRequest.get(URI.create("file:///etc/passwd")));
    }
}
