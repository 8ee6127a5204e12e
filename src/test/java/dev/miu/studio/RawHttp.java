package dev.miu.studio;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Requests over a plain socket, for clients the JDK's HttpClient cannot play: one that leaves, one that never reads. */
final class RawHttp {

    private RawHttp() {}

    /**
     * Opens a connection and sends a POST of {@code json}, reading nothing back.
     *
     * @param receiveBuffer the socket's receive buffer in bytes (small: the client's side fills up soon), or 0
     */
    static Socket post(URI base, String path, String json, int receiveBuffer) {
        byte[] content = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + content.length + "\r\n\r\n";
        try {
            var socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer); // before connecting, so the window is small from the start
            }
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code condition} holds, checking every 50 ms; false if it still does not after {@code limit}.
     * The condition runs on the caller's thread, so a check that sends a request is never left running after.
     */
    static boolean await(BooleanSupplier condition, Duration limit) {
        try {
            Awaitility.await()
                    .atMost(limit)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
