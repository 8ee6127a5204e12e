package dev.miu.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.function.Consumer;

/**
 * A response body framed by Content-Length, chunked transfer coding, or the end of the connection. At its proper
 * end the connection goes back to the pool (if the server keeps it alive). A reader that stops at its protocol's
 * own end marker ({@code message_stop}, {@code [DONE]}) closes the body just before the framing's end: the rest is
 * drained (at once if it has arrived, else by a short-lived virtual thread), so the connection is still reused.
 */
final class ResponseBody extends InputStream {

    enum Framing {
        EMPTY,
        LENGTH,
        CHUNKED,
        UNTIL_CLOSE
    }

    /** How much of an abandoned body is read to keep its connection, and for how long. */
    private static final int DRAIN_LIMIT = 64 * 1024;

    private static final int DRAIN_TIMEOUT_MILLIS = 2_000;

    private final Connection connection;
    private final Framing framing;
    private final boolean keepAlive;
    private final Consumer<Connection> release;
    private final java.time.Duration readTimeout;
    /** Set while a background drain reads the rest: the connection is released only after its timeout is restored. */
    private boolean draining;
    /** Bytes left in the body (LENGTH) or in the current chunk (CHUNKED; -1 before the first chunk). */
    private long remaining;

    private boolean finished;
    private boolean closed;

    ResponseBody(
            Connection connection,
            Framing framing,
            long length,
            boolean keepAlive,
            Consumer<Connection> release,
            java.time.Duration readTimeout) {
        this.connection = connection;
        this.framing = framing;
        this.keepAlive = keepAlive;
        this.release = release;
        this.readTimeout = readTimeout;
        this.remaining = framing == Framing.CHUNKED ? -1 : length;
        if (framing == Framing.EMPTY || (framing == Framing.LENGTH && length == 0)) {
            finish();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("response body closed");
        }
        return readBody(b, off, len);
    }

    private int readBody(byte[] b, int off, int len) throws IOException {
        if (finished) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        try {
            return switch (framing) {
                case EMPTY -> -1;
                case LENGTH -> readFixed(b, off, len);
                case CHUNKED -> readChunked(b, off, len);
                case UNTIL_CLOSE -> {
                    int n = connection.in.read(b, off, len);
                    if (n < 0) {
                        finish();
                    }
                    yield n;
                }
            };
        } catch (SocketTimeoutException e) {
            abort();
            var timeout = new SocketTimeoutException(
                    "stream silent for more than " + KeepAliveHttpClient.describe(readTimeout));
            timeout.initCause(e);
            throw timeout;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    private int readFixed(byte[] b, int off, int len) throws IOException {
        int n = connection.in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new IOException("connection closed " + remaining + " bytes before the end of the response");
        }
        remaining -= n;
        if (remaining == 0) {
            finish();
        }
        return n;
    }

    private int readChunked(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
            if (remaining == 0) {
                expectCrlf();
            }
            remaining = chunkSize();
            if (remaining == 0) {
                skipTrailers();
                finish();
                return -1;
            }
        }
        int n = connection.in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new IOException("connection closed inside a chunk of the response");
        }
        remaining -= n;
        return n;
    }

    private long chunkSize() throws IOException {
        String line = HeadReader.line(connection.in);
        int semicolon = line.indexOf(';');
        String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
        try {
            long size = Long.parseLong(hex, 16);
            if (size < 0) {
                throw new NumberFormatException();
            }
            return size;
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size in the response: '" + HeadReader.printable(line) + "'");
        }
    }

    private void expectCrlf() throws IOException {
        if (!HeadReader.line(connection.in).isEmpty()) {
            throw new IOException("a chunk of the response did not end with CRLF");
        }
    }

    private void skipTrailers() throws IOException {
        for (int i = 0; i < HeadReader.MAX_HEADERS; i++) {
            if (HeadReader.line(connection.in).isEmpty()) {
                return;
            }
        }
        throw new IOException("too many trailers in the response");
    }

    private void finish() {
        finished = true;
        if (draining) {
            return; // the drain releases the connection once its read timeout is back
        }
        if (keepAlive && framing != Framing.UNTIL_CLOSE) {
            release.accept(connection);
        } else {
            connection.close();
        }
    }

    /** Ends the body and closes its connection; safe from another thread (a blocked read then fails). */
    void abort() {
        finished = true;
        closed = true;
        connection.close();
    }

    /** Closing before the end drains the rest of the body (up to {@link #DRAIN_LIMIT}) or closes the connection. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (finished) {
            return;
        }
        if (framing == Framing.UNTIL_CLOSE || !keepAlive) {
            abort();
            return;
        }
        try {
            long budget = DRAIN_LIMIT;
            byte[] skip = new byte[4096];
            while (!finished && budget > 0 && connection.in.available() > 0) {
                budget -= Math.max(0, readBody(skip, 0, skip.length));
            }
        } catch (IOException e) {
            return; // readBody has closed the connection
        }
        if (!finished) {
            Thread.ofVirtual().name("miu-http-drain").start(this::drainInBackground);
        }
    }

    /** Reads the rest of the body for a while; releases the connection if it ends in time, else closes it. */
    private void drainInBackground() {
        draining = true;
        try {
            connection.socket.setSoTimeout(DRAIN_TIMEOUT_MILLIS);
            long budget = DRAIN_LIMIT;
            byte[] skip = new byte[4096];
            while (!finished && budget > 0) {
                budget -= Math.max(0, readBody(skip, 0, skip.length));
            }
            if (!finished || !keepAlive) {
                connection.close();
                return;
            }
            connection.socket.setSoTimeout(KeepAliveHttpClient.millis(readTimeout));
            release.accept(connection);
        } catch (IOException e) {
            connection.close();
        }
    }
}
