package dev.miu.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection to 127.0.0.1, blocking, for one thread at a time: the load generator's
 * whole client. A request is written in one {@code write}; the answer is read with Content-Length or chunked
 * framing, whole or line by line as it arrives (for SSE). Much lighter than the JDK {@code HttpClient}, so the
 * benchmarks measure the server, not the client; both paths (miu and direct to the provider) use it.
 */
final class HttpConnection implements AutoCloseable {

    /** Called for each line of a streamed body as it arrives ({@code line} without its end of line). */
    @FunctionalInterface
    interface LineHandler {
        void line(String line, long arrivedNanos) throws IOException;
    }

    /** A whole answer: its status and body. */
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int TIMEOUT_MILLIS = 120_000;

    private final int port;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    /** Set after an answer with {@code Connection: close}; the next request opens a new connection. */
    private boolean closeAfter;

    private long contentLength;
    private boolean chunked;

    HttpConnection(int port) {
        this.port = port;
    }

    /** POSTs a body and reads the whole answer. */
    Response post(String path, String headers, byte[] body) throws IOException {
        try {
            int status = send(path, headers, body);
            var whole = new java.io.ByteArrayOutputStream(Math.max(64, (int) Math.min(contentLength, 1 << 20)));
            readBody((b, off, len) -> whole.write(b, off, len));
            return new Response(status, whole.toByteArray());
        } catch (IOException | RuntimeException e) {
            close(); // the answer was not read to its end: the connection cannot be reused
            throw e;
        }
    }

    /** POSTs a body and hands each line of the answer to {@code lines} as it arrives; returns the status. */
    int postLines(String path, String headers, byte[] body, LineHandler lines) throws IOException {
        try {
            int status = send(path, headers, body);
            var splitter = new LineSplitter(lines);
            readBody(splitter);
            splitter.finish();
            return status;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Writes the request and reads the status line and headers. A kept-alive connection the server has closed
     * in the meantime fails at once (nothing of the answer read); then the request is sent once more on a new one.
     */
    private int send(String path, String headers, byte[] body) throws IOException {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers
                        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        boolean reused = socket != null && !closeAfter;
        if (!reused) {
            open();
        }
        String statusLine;
        try {
            out.write(request);
            statusLine = readLine();
        } catch (IOException e) {
            if (!reused) {
                throw e;
            }
            statusLine = null;
        }
        if (statusLine == null) {
            if (!reused) {
                throw new IOException("the server closed the connection without an answer");
            }
            open(); // the idle connection was closed by the server: retry once on a fresh one
            out.write(request);
            statusLine = readLine();
            if (statusLine == null) {
                throw new IOException("the server closed the connection without an answer");
            }
        }
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        readHeaders();
        return status;
    }

    private void open() throws IOException {
        close();
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        pos = 0;
        limit = 0;
        closeAfter = false;
    }

    private void readHeaders() throws IOException {
        contentLength = -1;
        chunked = false;
        closeAfter = false;
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line: " + line);
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> {
                    // other headers do not change how the body is read
                }
            }
        }
        if (line == null) {
            throw new IOException("the connection closed inside the headers");
        }
    }

    @FunctionalInterface
    private interface Sink {
        void accept(byte[] b, int off, int len) throws IOException;
    }

    private void readBody(Sink sink) throws IOException {
        if (chunked) {
            while (true) {
                String sizeLine = readLine();
                if (sizeLine == null) {
                    throw new IOException("the connection closed inside a chunked body");
                }
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    while (true) { // trailers, then the blank line
                        String trailer = readLine();
                        if (trailer == null || trailer.isEmpty()) {
                            break;
                        }
                    }
                    break;
                }
                copy(size, sink);
                if (!"".equals(readLine())) {
                    throw new IOException("a chunk did not end with CRLF");
                }
            }
        } else if (contentLength >= 0) {
            copy(contentLength, sink);
        } else {
            closeAfter = true; // the body ends when the connection does
            while (fill()) {
                sink.accept(buf, pos, limit - pos);
                pos = limit;
            }
        }
        if (closeAfter) {
            close();
        }
    }

    private void copy(long count, Sink sink) throws IOException {
        while (count > 0) {
            if (pos == limit && !fill()) {
                throw new IOException("the connection closed inside a body");
            }
            int n = (int) Math.min(count, limit - pos);
            sink.accept(buf, pos, n);
            pos += n;
            count -= n;
        }
    }

    /** Reads more bytes when the buffer is empty; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    /** One CRLF- (or LF-) ended ASCII line, or null at the end of the stream before any byte. */
    private String readLine() throws IOException {
        StringBuilder line = null;
        while (true) {
            if (pos == limit && !fill()) {
                return line == null ? null : line.toString();
            }
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String part = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    if (line == null) {
                        return part;
                    }
                    line.append(part);
                    int len = line.length();
                    if (end == i && len > 0 && line.charAt(len - 1) == '\r') {
                        line.setLength(len - 1); // the CR came at the end of the previous read
                    }
                    return line.toString();
                }
            }
            if (line == null) {
                line = new StringBuilder();
            }
            line.append(new String(buf, pos, limit - pos, StandardCharsets.ISO_8859_1));
            pos = limit;
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }

    /** Splits body bytes into UTF-8 lines and hands each on as soon as its end of line arrives. */
    private static final class LineSplitter implements Sink {
        private final LineHandler handler;
        private byte[] line = new byte[512];
        private int length;

        LineSplitter(LineHandler handler) {
            this.handler = handler;
        }

        @Override
        public void accept(byte[] b, int off, int len) throws IOException {
            long now = System.nanoTime();
            for (int i = off; i < off + len; i++) {
                byte c = b[i];
                if (c == '\n') {
                    int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
                    handler.line(new String(line, 0, end, StandardCharsets.UTF_8), now);
                    length = 0;
                } else {
                    if (length == line.length) {
                        line = java.util.Arrays.copyOf(line, length * 2);
                    }
                    line[length++] = c;
                }
            }
        }

        void finish() throws IOException {
            if (length > 0) {
                handler.line(new String(line, 0, length, StandardCharsets.UTF_8), System.nanoTime());
                length = 0;
            }
        }
    }
}
