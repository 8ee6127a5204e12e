package dev.miu.core.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads the CRLF-terminated lines of a response head (and chunk sizes), with limits against a hostile server. */
final class HeadReader {

    static final int MAX_LINE = 16 * 1024;
    static final int MAX_HEADERS = 200;

    private HeadReader() {}

    /** One line without its line ending (a bare LF is accepted too); EOF before any byte is an EOFException. */
    static String line(InputStream in) throws IOException {
        byte[] buf = new byte[128];
        int n = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (n == 0) {
                    throw new EOFException("connection closed by the server");
                }
                throw new IOException("connection closed inside a response line");
            }
            if (c == '\n') {
                if (n > 0 && buf[n - 1] == '\r') {
                    n--;
                }
                return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (n == MAX_LINE) {
                throw new IOException("a response line is longer than " + MAX_LINE + " bytes");
            }
            if (n == buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.min(MAX_LINE, n * 2));
            }
            buf[n++] = (byte) c;
        }
    }

    /** A line fit for an error message: control characters replaced, cut at 100 characters. */
    static String printable(String line) {
        String cut = line.length() > 100 ? line.substring(0, 100) + "…" : line;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
