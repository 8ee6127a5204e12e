package dev.miu.bench;

import java.io.IOException;

/**
 * One open studio WebSocket ({@code /api/v1/chat/ws/SESSION}) on the raw client {@link WsConnection}; turns are
 * sent one at a time and timed from the send to each chunk event, on the calling thread (no listener hand-off).
 */
final class ChatSocket implements AutoCloseable {

    private final WsConnection ws;

    ChatSocket(WsConnection ws) {
        this.ws = ws;
    }

    static ChatSocket open(int miuPort, String sessionId) throws IOException {
        return new ChatSocket(WsConnection.open(miuPort, "/api/v1/chat/ws/" + sessionId));
    }

    StreamTiming turn() throws IOException {
        long start = System.nanoTime();
        ws.sendText("{\"message\":\"" + StudioClient.MESSAGE + "\"}");
        var timing = new StreamTiming.Builder(start);
        while (true) {
            WsConnection.Message event = ws.receive();
            if (event == null) {
                throw new IOException("the server closed the WebSocket during a turn");
            }
            if (event.text().contains("\"type\":\"chunk\"")) {
                timing.chunk(event.arrivedNanos());
            } else if (event.text().contains("\"type\":\"done\"")) {
                timing.end();
                return timing.build();
            } else if (event.text().contains("\"type\":\"error\"")) {
                throw new IOException("WebSocket turn failed: " + event.text());
            }
        }
    }

    @Override
    public void close() {
        ws.close();
    }
}
