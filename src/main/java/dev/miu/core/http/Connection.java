package dev.miu.core.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** One open socket to an origin, with its buffered streams. Used by one call at a time; pooled between calls. */
final class Connection {

    final String origin;
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    /** Whether this connection has carried a call before (a pooled one may have been closed by the server since). */
    boolean reused;

    long idleSince;

    Connection(String origin, Socket socket) throws IOException {
        this.origin = origin;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }
}
