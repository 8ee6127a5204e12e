package dev.miu.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a {@code text/event-stream} body event by event, per the WHATWG rules: {@code event}, {@code data}
 * (several lines joined), {@code id}, comments, lines ended by LF, CRLF or CR, a leading byte-order mark. Used for
 * model streams and for MCP's Streamable HTTP, which resumes a broken stream with {@code Last-Event-ID}: so an event
 * with an id but no data (a "priming" event) is returned too, with empty data, and readers of model streams skip
 * blank data. An event the stream ends in without its blank line is still returned.
 *
 * <p>It works on bytes: a model stream is one small event per token, and a reader and decoder per response plus a
 * few strings per line were a measurable part of a turn's CPU. Only the values of known fields are decoded (UTF-8,
 * malformed bytes replaced); reads return as soon as the stream has bytes, so a slow stream is read as it comes.
 */
public final class SseReader {

    /** One server-sent event: its {@code event:} name ({@code message} if none), joined data, and id (or null). */
    public record Event(String name, String data, String id) {}

    private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = "id".getBytes(StandardCharsets.US_ASCII);

    /**
     * The most one line or one event's joined data may hold. A model's largest events (a whole response at its end)
     * are far smaller; a peer that sends an endless line would otherwise grow memory without bound.
     */
    public static final int DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024;

    private final InputStream in;
    private final int maxEventBytes;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private boolean ended;
    private boolean started;
    /** The last line ended with CR: an LF right after it belongs to that line end. */
    private boolean afterCr;

    private byte[] line = new byte[512];
    private int lineLength;

    public SseReader(InputStream body) {
        this(body, DEFAULT_MAX_EVENT_BYTES);
    }

    /** A reader that fails with an {@link IOException} on a line or event's data longer than {@code maxEventBytes}. */
    public SseReader(InputStream body, int maxEventBytes) {
        if (maxEventBytes < 1) {
            throw new IllegalArgumentException("maxEventBytes must be at least 1, got " + maxEventBytes);
        }
        this.in = body;
        this.maxEventBytes = maxEventBytes;
    }

    /**
     * The next event, or {@code null} at the end of the stream. An {@link IOException} also when a line or the
     * event's data is longer than the limit (the stream cannot be read on after that).
     */
    public Event next() throws IOException {
        String id = null;
        String name = null;
        String data = null;
        StringBuilder moreData = null;
        while (readLine()) {
            if (lineLength == 0) {
                if (data != null || id != null) {
                    return event(name, data, moreData, id);
                }
                name = null;
                continue;
            }
            if (line[0] == ':') {
                continue; // a comment
            }
            int colon = indexOfColon();
            int fieldEnd = colon < 0 ? lineLength : colon;
            int valueStart = colon < 0 ? lineLength : colon + 1;
            if (valueStart < lineLength && line[valueStart] == ' ') {
                valueStart++;
            }
            if (is(DATA, fieldEnd)) {
                String value = text(valueStart);
                if (data == null) {
                    data = value;
                } else {
                    if (moreData == null) {
                        moreData = new StringBuilder(data);
                    }
                    if (moreData.length() + 1L + value.length()
                            > maxEventBytes) { // chars: at most the bytes they came from
                        throw new IOException("Server-sent event data longer than " + maxEventBytes + " bytes");
                    }
                    moreData.append('\n').append(value);
                }
            } else if (is(EVENT, fieldEnd)) {
                name = text(valueStart);
            } else if (is(ID, fieldEnd)) {
                id = text(valueStart);
            }
            // "retry" only tunes reconnection delays, which miu does not take from servers; unknown fields are ignored
        }
        return data == null ? null : event(name, data, moreData, id);
    }

    private static Event event(String name, String data, StringBuilder moreData, String id) {
        String joined = moreData != null ? moreData.toString() : data == null ? "" : data;
        return new Event(name == null ? "message" : name, joined, id);
    }

    private boolean is(byte[] field, int length) {
        return length == field.length && Arrays.equals(line, 0, length, field, 0, length);
    }

    private int indexOfColon() {
        for (int i = 0; i < lineLength; i++) {
            if (line[i] == ':') {
                return i;
            }
        }
        return -1;
    }

    private String text(int from) {
        return new String(line, from, lineLength - from, StandardCharsets.UTF_8);
    }

    /** Reads the next line (without its end) into {@link #line}; false at the end of the stream. */
    private boolean readLine() throws IOException {
        lineLength = 0;
        while (true) {
            if (position == limit && !fill()) {
                return lineLength > 0; // a last line without its end
            }
            if (afterCr) {
                afterCr = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            int end = position;
            while (end < limit && buffer[end] != '\n' && buffer[end] != '\r') {
                end++;
            }
            int length = end - position;
            if ((long) lineLength + length > maxEventBytes) {
                throw new IOException("Server-sent event line longer than " + maxEventBytes + " bytes");
            }
            if (lineLength + length > line.length) {
                line = Arrays.copyOf(
                        line, (int) Math.min(maxEventBytes, Math.max(line.length * 2L, lineLength + length)));
            }
            System.arraycopy(buffer, position, line, lineLength, length);
            lineLength += length;
            position = end;
            if (end < limit) {
                afterCr = buffer[end] == '\r';
                position++;
                return true;
            }
        }
    }

    private boolean fill() throws IOException {
        if (ended) {
            return false;
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            ended = n < 0;
            if (n == 0) {
                // a stream that returns 0 without blocking breaks the contract; read one byte to make progress
                int b = in.read();
                if (b < 0) {
                    ended = true;
                    return false;
                }
                buffer[0] = (byte) b;
                n = 1;
            } else {
                return false;
            }
        }
        position = 0;
        limit = n;
        if (!started) {
            started = true;
            skipByteOrderMark();
        }
        return position < limit || fill();
    }

    /** A UTF-8 byte-order mark at the very start is not part of the first line. */
    private void skipByteOrderMark() throws IOException {
        if ((buffer[0] & 0xFF) != 0xEF) {
            return;
        }
        while (limit < 3) {
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n <= 0) {
                break;
            }
            limit += n;
        }
        if (limit >= 3 && (buffer[1] & 0xFF) == 0xBB && (buffer[2] & 0xFF) == 0xBF) {
            position = 3;
        }
    }
}
