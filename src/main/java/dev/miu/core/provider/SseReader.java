package dev.miu.core.provider;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code text/event-stream} body event by event, per the WHATWG rules: {@code event}, {@code data}
 * (several lines joined), {@code id}, comments. Used for model streams and for MCP's Streamable HTTP, which resumes a
 * broken stream with {@code Last-Event-ID}: so an event with an id but no data (a "priming" event) is returned too,
 * with empty data, and readers of model streams skip blank data.
 */
public final class SseReader {

    /** One server-sent event: its {@code event:} name ({@code message} if none), joined data, and id (or null). */
    public record Event(String name, String data, String id) {
    }

    private final BufferedReader reader;

    public SseReader(InputStream body) {
        this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The next event, or {@code null} at the end of the stream. */
    public Event next() throws IOException {
        String id = null;
        String name = null;
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null || id != null) {
                    return new Event(name == null ? "message" : name, data == null ? "" : data.toString(), id);
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
                    // "retry" only tunes reconnection delays, which miu does not take from servers
                }
            }
        }
        return data == null ? null : new Event(name == null ? "message" : name, data.toString(), id);
    }
}
