package dev.miu.bench;

import java.io.IOException;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** One open studio WebSocket; turns are sent one at a time and timed from the send to each chunk event. */
final class ChatSocket implements AutoCloseable {

    private final WebSocket ws;
    private final Listener listener;

    ChatSocket(WebSocket ws, Listener listener) {
        this.ws = ws;
        this.listener = listener;
    }

    StreamTiming turn() throws IOException, InterruptedException {
        listener.events.clear();
        long start = System.nanoTime();
        ws.sendText("{\"message\":\"" + StudioClient.MESSAGE + "\"}", true).join();
        var timing = new StreamTiming.Builder(start);
        while (true) {
            Event event = listener.events.poll(30, TimeUnit.SECONDS);
            if (event == null) {
                throw new IOException("no WebSocket event within 30 s");
            }
            if (event.text.contains("\"type\":\"chunk\"")) {
                timing.chunk(event.nanos);
            } else if (event.text.contains("\"type\":\"done\"")) {
                timing.end();
                return timing.build();
            } else if (event.text.contains("\"type\":\"error\"") || event.text.startsWith("!")) {
                throw new IOException("WebSocket turn failed: " + event.text);
            }
        }
    }

    @Override
    public void close() {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        ws.abort();
    }

    record Event(String text, long nanos) {
    }

    /** Gathers whole text messages with their arrival time. */
    static final class Listener implements WebSocket.Listener {
        final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                events.add(new Event(partial.toString(), System.nanoTime()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(new Event("!" + error, System.nanoTime()));
        }
    }
}
