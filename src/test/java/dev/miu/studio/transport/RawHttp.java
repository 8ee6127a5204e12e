package dev.miu.studio.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Raw bytes over a socket, for requests no HTTP client would send. */
final class RawHttp {

    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");
    private static final Pattern DETAIL = Pattern.compile("\"detail\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    private RawHttp() {}

    /**
     * What the server sent, until it closed the connection or {@code wait} passed without a byte.
     *
     * @param text    what the server sent, as Latin-1
     * @param closed  whether the server closed the connection (else: the wait ran out)
     * @param elapsed from the last byte sent to the end
     */
    record Answer(String text, boolean closed, Duration elapsed) {

        int status() {
            Matcher m = STATUS.matcher(text);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }

        String detail() {
            Matcher m = DETAIL.matcher(text);
            return m.find() ? m.group(1) : null;
        }

        /** Whether the text holds more than one response (none must follow an error that closes). */
        int responses() {
            int n = 0;
            for (int i = text.indexOf("HTTP/1."); i >= 0; i = text.indexOf("HTTP/1.", i + 1)) {
                n++;
            }
            return n;
        }
    }

    static Answer exchange(URI server, byte[] request, Duration wait) throws IOException {
        try (var socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout((int) wait.toMillis());
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket.getInputStream(), System.nanoTime());
        }
    }

    static Answer exchange(URI server, String request, Duration wait) throws IOException {
        return exchange(server, request.getBytes(StandardCharsets.ISO_8859_1), wait);
    }

    static Answer read(InputStream in, long since) throws IOException {
        var out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        boolean closed;
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
            closed = true;
        } catch (SocketTimeoutException e) {
            closed = false;
        } catch (IOException e) {
            closed = true; // reset
        }
        return new Answer(
                out.toString(StandardCharsets.ISO_8859_1), closed, Duration.ofNanos(System.nanoTime() - since));
    }
}
