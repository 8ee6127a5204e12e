package dev.miu.studio.transport;

import dev.miu.core.json.Json;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.studio.Api;
import dev.miu.studio.StudioFixtures;
import dev.miu.studio.tools.StudioTools;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat WebSocket under raw frames a browser would never send (issue 21, item 6): bad JSON is an {@code error}
 * event and the connection stays, text that is not UTF-8 closes with 1007, an unknown opcode with 1002, and nothing
 * but WebSocket frames ever comes back on the upgraded stream.
 */
@ServerTest
@Timeout(60)
class WebSocketFramingTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final URI uri;
    private final Api api;

    WebSocketFramingTest(URI uri) {
        this.uri = uri;
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        StudioFixtures.mount(server, StudioFixtures.studio(ProviderSettings.NONE, StudioTools.none()));
    }

    /** A frame from the server: opcode and payload. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    /** An upgraded connection speaking raw frames. */
    final class Raw implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;

        Raw() throws IOException {
            socket = new Socket(uri.getHost(), uri.getPort());
            socket.setSoTimeout(10_000);
            String key = Base64.getEncoder().encodeToString(RANDOM.generateSeed(16));
            socket.getOutputStream()
                    .write(("GET /api/v1/chat/ws/" + api.newSession() + " HTTP/1.1\r\nHost: "
                                    + uri.getHost() + ":" + uri.getPort()
                                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                    + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            in = new DataInputStream(socket.getInputStream());
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
        }

        void send(int opcode, boolean fin, byte[] payload) throws IOException {
            var out = new ByteArrayOutputStream();
            out.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126) {
                out.write(0x80 | payload.length);
            } else {
                out.write(0x80 | 126);
                out.write(payload.length >>> 8);
                out.write(payload.length & 0xFF);
            }
            byte[] mask = new byte[4];
            RANDOM.nextBytes(mask);
            out.write(mask);
            for (int i = 0; i < payload.length; i++) {
                out.write(payload[i] ^ mask[i & 3]);
            }
            socket.getOutputStream().write(out.toByteArray());
        }

        void sendText(String text) throws IOException {
            send(1, true, text.getBytes(StandardCharsets.UTF_8));
        }

        /** The next frame; any byte that does not start a WebSocket frame (such as "HTTP/1.1 ...") fails. */
        Frame next() throws IOException {
            int b0 = in.readUnsignedByte();
            assertEquals(0x80, b0 & 0xF0, "a final frame without reserved bits, not raw bytes like 'H' (0x48): " + b0);
            int len = in.readUnsignedByte() & 0x7F;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = (int) in.readLong();
            }
            byte[] payload = in.readNBytes(len);
            return new Frame(b0 & 0x0F, payload);
        }

        JsonObject nextEvent() throws IOException {
            Frame f = next();
            assertEquals(1, f.opcode(), "a text frame: " + f.text());
            return Json.parseObject(f.text());
        }

        /** The close frame the server ends with, then the end of the stream. */
        int closedWith() throws IOException {
            Frame f = next();
            assertEquals(8, f.opcode(), "a close frame: " + f.text());
            try {
                assertEquals(-1, in.read(), "nothing after the close frame");
            } catch (IOException e) {
                // reset: closed as well
            }
            return f.closeCode();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("closed during the handshake: " + head);
            }
            head.append((char) c);
        }
        return head.toString();
    }

    @Test
    void badJsonIsAnErrorEventAndTheConnectionStays() throws IOException {
        try (var ws = new Raw()) {
            ws.sendText("[".repeat(2000));
            JsonObject nested = ws.nextEvent();
            assertEquals("error", nested.getString("type"));
            assertTrue(nested.getString("detail").contains("nested deeper than"), nested.toString());
            ws.sendText("{\"message\": 1" + "1".repeat(5000) + "}");
            JsonObject number = ws.nextEvent();
            assertEquals("error", number.getString("type"));
            assertTrue(number.getString("detail").contains("a number longer than"), number.toString());
            ws.sendText("not json");
            assertEquals("error", ws.nextEvent().getString("type"));
            // still open: a well-formed message gets its answer (here: no provider configured)
            ws.sendText("{\"message\":\"hi\"}");
            assertEquals("error", ws.nextEvent().getString("type"));
        }
    }

    @Test
    void textThatIsNotUtf8ClosesWith1007() throws IOException {
        try (var ws = new Raw()) {
            ws.send(1, true, new byte[] {'{', '"', 'm', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'});
            assertEquals(1007, ws.closedWith());
        }
        try (var ws = new Raw()) {
            // a sequence split across two fragments is fine, one left unfinished at the end is not
            byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
            ws.send(1, false, new byte[] {'"', euro[0]});
            ws.send(0, true, new byte[] {euro[1], euro[2], '"'});
            assertEquals("error", ws.nextEvent().getString("type")); // a JSON string, not an object
            ws.send(1, true, new byte[] {'"', euro[0], euro[1]});
            assertEquals(1007, ws.closedWith());
        }
    }

    @Test
    void anUnknownOpcodeClosesWith1002() throws IOException {
        try (var ws = new Raw()) {
            ws.send(3, true, "hello".getBytes(StandardCharsets.US_ASCII));
            assertEquals(1002, ws.closedWith());
        }
        try (var ws = new Raw()) {
            ws.send(0, true, "orphan continuation".getBytes(StandardCharsets.US_ASCII));
            assertEquals(1002, ws.closedWith());
        }
    }

    @Test
    void aQuietClientKeepsItsConnection() throws IOException {
        try (var ws = new Raw()) {
            ws.socket.setSoTimeout(1_000);
            try {
                ws.in.read();
                throw new AssertionError("the server sent something unasked");
            } catch (SocketTimeoutException expected) {
                // open and silent
            }
            ws.sendText("{}");
            assertFalse(ws.nextEvent().getString("detail").isEmpty());
        }
    }
}
