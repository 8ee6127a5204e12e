package dev.miu.core.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event-stream reader against the WHATWG rules, whole and with the stream arriving a few bytes at a time. */
class SseReaderTest {

    private static final String STREAM = "\uFEFF: a comment\n"
            + "event: message_start\n"
            + "data: {\"type\":\"message_start\"}\n"
            + "\n"
            + "data: first line\r\n"
            + "data:second line, no space\r\n"
            + "data:  two spaces keep one\r\n"
            + "retry: 1000\r\n"
            + "unknown: ignored\r\n"
            + "\r\n"
            + "id: 42\r"
            + "\r"
            + "event: named but empty\n"
            + "\n"
            + "data\n"
            + "event: ünïcödé ✓ 🐱\n"
            + "\n"
            + "data: no blank line at the end";

    private static List<SseReader.Event> readAll(InputStream in) throws IOException {
        var reader = new SseReader(in);
        List<SseReader.Event> events = new ArrayList<>();
        SseReader.Event e;
        while ((e = reader.next()) != null) {
            events.add(e);
        }
        assertNull(reader.next(), "the end stays the end");
        return events;
    }

    /** A stream that hands out at most {@code chunk} bytes per read, as a slow network does. */
    private static InputStream trickle(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 8192})
    void readsEveryKindOfLineHoweverTheBytesArrive(int chunk) throws IOException {
        List<SseReader.Event> events = readAll(trickle(STREAM.getBytes(StandardCharsets.UTF_8), chunk));
        assertEquals(
                List.of(
                        new SseReader.Event("message_start", "{\"type\":\"message_start\"}", null),
                        new SseReader.Event("message", "first line\nsecond line, no space\n two spaces keep one", null),
                        new SseReader.Event("message", "", "42"),
                        new SseReader.Event("ünïcödé ✓ 🐱", "", null),
                        new SseReader.Event("message", "no blank line at the end", null)),
                events);
    }

    @Test
    void longLinesAndMalformedUtf8() throws IOException {
        String big = "x".repeat(20_000) + "é";
        byte[] stream = ("data: " + big + "\n\ndata: \u0000").getBytes(StandardCharsets.UTF_8);
        byte[] withBadByte = new byte[stream.length + 2];
        System.arraycopy(stream, 0, withBadByte, 0, stream.length);
        withBadByte[stream.length] = (byte) 0xC3; // a truncated two-byte sequence, then a newline
        withBadByte[stream.length + 1] = '\n';
        List<SseReader.Event> events = readAll(trickle(withBadByte, 1000));
        assertEquals(big, events.get(0).data());
        assertEquals("\u0000\uFFFD", events.get(1).data());
    }

    @Test
    void anEmptyOrCommentOnlyStreamHasNoEvents() throws IOException {
        assertEquals(List.of(), readAll(new ByteArrayInputStream(new byte[0])));
        assertEquals(
                List.of(), readAll(new ByteArrayInputStream(": ping\n\n: ping\n\n".getBytes(StandardCharsets.UTF_8))));
        assertEquals(List.of(), readAll(new ByteArrayInputStream(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})));
    }

    @Test
    void aLineOrEventPastTheLimitFailsInsteadOfGrowing() throws IOException {
        // exactly at the limit is fine, on a line or joined over lines
        var reader = new SseReader(
                new ByteArrayInputStream(("data:" + "a".repeat(95) + "\n\n").getBytes(StandardCharsets.UTF_8)), 100);
        assertEquals(95, reader.next().data().length());
        // an endless line, arriving in pieces, fails once it passes the limit
        InputStream endless = new InputStream() {
            private long sent;

            @Override
            public int read() {
                return sent++ < 10_000_000 ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = Math.min(len, 700);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                sent += n;
                return n;
            }
        };
        var e = assertThrows(IOException.class, () -> new SseReader(endless, 64 * 1024).next());
        assertTrue(e.getMessage().contains("longer than 65536 bytes"), e.getMessage());
        // many short data lines of one event
        String manyLines = "data: 0123456789\n".repeat(20) + "\n";
        var joined = new SseReader(new ByteArrayInputStream(manyLines.getBytes(StandardCharsets.UTF_8)), 100);
        e = assertThrows(IOException.class, joined::next);
        assertTrue(e.getMessage().contains("event data longer than 100 bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SseReader(InputStream.nullInputStream(), 0));
    }
}
