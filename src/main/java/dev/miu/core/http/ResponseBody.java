package dev.miu.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.function.Consumer;

/**
 * A response body framed by Content-Length, chunked transfer coding, or the end of the connection. At its proper
 * end the connection goes back to the pool (if the server keeps it alive); anything else closes it.
 */
final class ResponseBody extends InputStream {

    enum Framing { EMPTY, LENGTH, CHUNKED, UNTIL_CLOSE }

    private final Connection connection;
    private final Framing framing;
    private final boolean keepAlive;
    private final Consumer<Connection> release;
    private final long readTimeoutSeconds;
    /** Bytes left in the body (LENGTH) or in the current chunk (CHUNKED; -1 before the first chunk). */
    private long remaining;
    private boolean finished;
    private boolean closed;

    ResponseBody(Connection connection, Framing framing, long length, boolean keepAlive, Consumer<Connection> release,
                 long readTimeoutSeconds) {
        this.connection = connection;
        this.framing = framing;
        this.keepAlive = keepAlive;
        this.release = release;
        this.readTimeoutSeconds = readTimeoutSeconds;
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
            var timeout = new SocketTimeoutException("stream silent for more than " + readTimeoutSeconds + " s");
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
        if (keepAlive && framing != Framing.UNTIL_CLOSE) {
            release.accept(connection);
        } else {
            connection.close();
        }
    }

    private void abort() {
        finished = true;
        closed = true;
        connection.close();
    }

    /** Closing before the end closes the connection: the rest of the body is not worth reading. */
    @Override
    public void close() {
        if (!finished) {
            abort();
        }
        closed = true;
    }
}
