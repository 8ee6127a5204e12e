package dev.miu.studio;

import dev.miu.core.json.Json;
import jakarta.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket test client on the JDK's {@link WebSocket}: collects whole text messages in a queue. */
public final class WsClient implements AutoCloseable {

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WsClient(WebSocket.Builder builder, URI uri) {
        this.socket = builder.buildAsync(uri, new Listener())
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    /** Connects to {@code path} on the server at {@code http} base; {@code headers} are name/value pairs. */
    public static WsClient connect(URI http, String path, String... headers) {
        var builder = HttpClient.newHttpClient().newWebSocketBuilder();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        URI uri = URI.create("ws://" + http.getHost() + ":" + http.getPort() + path);
        return new WsClient(builder, uri);
    }

    public void send(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The next message as JSON; fails after {@code timeout}. */
    public JsonObject next(Duration timeout) {
        try {
            String m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("no WebSocket message within " + timeout);
            }
            return Json.parseObject(m);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public JsonObject next() {
        return next(Duration.ofSeconds(20));
    }

    /** Reads events until one of type {@code type}, returning it. */
    public JsonObject until(String type) {
        while (true) {
            JsonObject event = next();
            if (event.getString("type").equals(type)) {
                return event;
            }
        }
    }

    public CompletableFuture<Integer> closed() {
        return closed;
    }

    public boolean isOpen() {
        return !socket.isInputClosed() && !closed.isDone();
    }

    /** Sends a close frame and waits for the server's, so the server has seen the client leave. */
    public void closeNormally() throws Exception {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, java.util.concurrent.TimeUnit.SECONDS);
        closed.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                messages.add(buffer.toString());
                buffer.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
