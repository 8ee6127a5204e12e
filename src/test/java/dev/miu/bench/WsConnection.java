package dev.miu.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of RFC 6455 over one blocking socket to 127.0.0.1: the opening handshake (its accept key
 * checked), masked text frames out, whole text messages in (fragments joined), pings answered with pongs, and
 * the closing handshake. For one thread at a time; replaces the JDK WebSocket so the benchmark times the server.
 */
final class WsConnection implements AutoCloseable {

    /** A whole text message and when its last frame arrived. */
    record Message(String text, long arrivedNanos) {}

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_MESSAGE = 16 * 1024 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean closed;

    private WsConnection(Socket socket, InputStream in) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    /** Opens a WebSocket on {@code path}; fails unless the server answers 101 with the right accept key. */
    static WsConnection open(int port, String path) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
            socket.setSoTimeout(60_000);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key
                                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            var in = new BufferedInputStream(socket.getInputStream(), 8192);
            String status = line(in);
            if (status == null || !status.startsWith("HTTP/1.1 101")) {
                throw new IOException("WebSocket upgrade answered " + status);
            }
            String accept = null;
            String header;
            while ((header = line(in)) != null && !header.isEmpty()) {
                int colon = header.indexOf(':');
                if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("sec-websocket-accept")) {
                    accept = header.substring(colon + 1).trim();
                }
            }
            if (!acceptFor(key).equals(accept)) {
                throw new IOException("wrong Sec-WebSocket-Accept: " + accept);
            }
            return new WsConnection(socket, in);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    static String acceptFor(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void sendText(String text) throws IOException {
        sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The next whole text message; pings are answered on the way. Null when the server closed the connection
     * (its close frame is answered).
     */
    Message receive() throws IOException {
        byte[] message = null;
        int length = 0;
        while (true) {
            int b0 = read();
            int b1 = read();
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            if ((b1 & 0x80) != 0) {
                throw new IOException("the server sent a masked frame");
            }
            long size = b1 & 0x7F;
            if (size == 126) {
                size = (read() << 8) | read();
            } else if (size == 127) {
                size = 0;
                for (int i = 0; i < 8; i++) {
                    size = (size << 8) | read();
                }
            }
            if (size > MAX_MESSAGE || length + size > MAX_MESSAGE) {
                throw new IOException("WebSocket frame too large: " + size);
            }
            byte[] payload = in.readNBytes((int) size);
            if (payload.length != size) {
                throw new IOException("the connection closed inside a frame");
            }
            switch (opcode) {
                case 0x9 -> sendFrame(0xA, payload); // ping: pong with the same data
                case 0xA -> {
                    // an unsolicited pong needs no answer
                }
                case 0x8 -> {
                    if (!closed) {
                        closed = true;
                        sendFrame(0x8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
                    }
                    socket.close();
                    return null;
                }
                case 0x1, 0x0 -> {
                    if (opcode == 0x1 && message != null) {
                        throw new IOException("a new text message began inside a fragmented one");
                    }
                    if (message == null) {
                        message = new byte[Math.max(64, payload.length)];
                    } else if (length + payload.length > message.length) {
                        message =
                                java.util.Arrays.copyOf(message, Math.max(message.length * 2, length + payload.length));
                    }
                    System.arraycopy(payload, 0, message, length, payload.length);
                    length += payload.length;
                    if (fin) {
                        return new Message(new String(message, 0, length, StandardCharsets.UTF_8), System.nanoTime());
                    }
                }
                default -> throw new IOException("unexpected WebSocket opcode " + opcode);
            }
        }
    }

    /** One masked frame in one write (clients must mask every frame). */
    private void sendFrame(int opcode, byte[] payload) throws IOException {
        int n = payload.length;
        int header = n < 126 ? 2 : n < 65536 ? 4 : 10;
        byte[] frame = new byte[header + 4 + n];
        frame[0] = (byte) (0x80 | opcode);
        if (n < 126) {
            frame[1] = (byte) (0x80 | n);
        } else if (n < 65536) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (n >>> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        int mask = ThreadLocalRandom.current().nextInt();
        byte[] key = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        System.arraycopy(key, 0, frame, header, 4);
        for (int i = 0; i < n; i++) {
            frame[header + 4 + i] = (byte) (payload[i] ^ key[i & 3]);
        }
        out.write(frame);
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new IOException("the WebSocket connection closed");
        }
        return b;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int len = line.length();
                return len > 0 && line.charAt(len - 1) == '\r' ? line.substring(0, len - 1) : line.toString();
            }
            line.append((char) b);
        }
        return line.isEmpty() ? null : line.toString();
    }

    /** The closing handshake: a close frame (1000), then the server's close frame, read for at most 5 s. */
    @Override
    public void close() {
        try {
            if (!closed && !socket.isClosed()) {
                closed = true;
                sendFrame(0x8, new byte[] {0x03, (byte) 0xE8});
                socket.setSoTimeout(5_000);
                while (receive() != null) {
                    // messages still in flight are dropped
                }
            }
        } catch (IOException ignored) {
            // the connection is going away anyway
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
