package dev.miu.core.mcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code text/event-stream} event by event, keeping each event's {@code id} (Streamable HTTP resumes a
 * broken stream with {@code Last-Event-ID}). Events with an id but no data (the "priming" events of newer
 * servers) are returned too, with empty data, so their id is not lost.
 */
final class SseEventReader implements AutoCloseable {

    /** One event: its id ({@code null} if none), name ({@code message} if none) and joined data lines. */
    record Event(String id, String name, String data) {
    }

    private final BufferedReader reader;

    SseEventReader(InputStream body) {
        this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The next event, or {@code null} at the end of the stream. */
    Event next() throws IOException {
        String id = null;
        String name = null;
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null || id != null) {
                    return new Event(id, name == null ? "message" : name, data == null ? "" : data.toString());
                }
                name = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> name = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> {
                    // "retry" only tunes reconnection delays; a fixed backoff is used instead
                }
            }
        }
        return data == null ? null : new Event(id, name == null ? "message" : name, data.toString());
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
