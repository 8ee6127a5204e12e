package dev.miu.studio.mcp;

import dev.miu.core.json.Json;
import dev.miu.core.mcp.JsonRpcMessage;
import dev.miu.core.mcp.JsonRpcMessage.ErrorResponse;
import dev.miu.core.mcp.McpException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The MCP stdio transport, server side: one JSON-RPC message per line on {@code in}, answers and notifications one
 * per line on {@code out} (nothing else may be written there; logs go to stderr). Each tool call runs on its own
 * virtual thread, so a {@code notifications/cancelled} or a {@code ping} is read while it works. The end of
 * {@code in} ends the session: running calls are cancelled and given a moment to store what they did.
 */
public final class McpStdioServer {

    private static final System.Logger LOG = System.getLogger(McpStdioServer.class.getName());
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final McpDispatcher dispatcher;
    private final long maxLineBytes;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final List<Thread> calls = new ArrayList<>();

    public McpStdioServer(McpDispatcher dispatcher, long maxLineBytes) {
        this.dispatcher = dispatcher;
        this.maxLineBytes = maxLineBytes;
    }

    /** Serves until {@code in} ends; returns once the calls still running have stopped. */
    public void serve(InputStream input, OutputStream out) throws IOException, InterruptedException {
        InputStream in = input instanceof BufferedInputStream ? input : new BufferedInputStream(input);
        McpSession session = new McpSession("stdio");
        try {
            Line line;
            while ((line = readLine(in)) != null) {
                if (line.tooLong()) {
                    send(
                            out,
                            new ErrorResponse(
                                    JsonValue.NULL,
                                    ErrorResponse.INVALID_REQUEST,
                                    "Message longer than " + maxLineBytes + " bytes (server.max-body-bytes)",
                                    null));
                } else if (!line.text().isBlank()) {
                    receive(session, line.text(), out);
                }
            }
        } finally {
            session.close();
            for (Thread t : List.copyOf(calls)) {
                t.join(DRAIN);
            }
        }
    }

    private void receive(McpSession session, String text, OutputStream out) {
        JsonRpcMessage message;
        try {
            JsonValue value = Json.parse(text);
            if (!(value instanceof JsonObject o)) {
                send(
                        out,
                        new ErrorResponse(
                                JsonValue.NULL,
                                ErrorResponse.INVALID_REQUEST,
                                "Expected one JSON-RPC object per line",
                                null));
                return;
            }
            message = JsonRpcMessage.fromJson(o);
        } catch (IllegalArgumentException e) {
            send(out, new ErrorResponse(JsonValue.NULL, ErrorResponse.PARSE_ERROR, e.getMessage(), null));
            return;
        } catch (McpException e) {
            send(out, new ErrorResponse(JsonValue.NULL, ErrorResponse.INVALID_REQUEST, e.getMessage(), null));
            return;
        }
        if (message instanceof JsonRpcMessage.Request r && r.method().equals("tools/call")) {
            calls.removeIf(t -> !t.isAlive());
            calls.add(Thread.ofVirtual().name("miu-mcp-call").start(() -> answer(session, message, out)));
        } else {
            answer(session, message, out);
        }
    }

    private void answer(McpSession session, JsonRpcMessage message, OutputStream out) {
        JsonRpcMessage reply = dispatcher.handle(session, message, n -> send(out, n));
        if (reply != null) {
            send(out, reply);
        }
    }

    private void send(OutputStream out, JsonRpcMessage message) {
        byte[] line = (Json.write(message.toJson()) + "\n").getBytes(StandardCharsets.UTF_8);
        writeLock.lock();
        try {
            out.write(line);
            out.flush();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "MCP client gone; dropped a message", e);
        } finally {
            writeLock.unlock();
        }
    }

    private record Line(String text, boolean tooLong) {}

    /** The next line without its end ({@code \n} or {@code \r\n}); one longer than the limit is skipped whole. */
    private Line readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        boolean tooLong = false;
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (tooLong) {
                continue;
            }
            if (buffer.size() >= maxLineBytes) {
                tooLong = true;
                buffer.reset();
            } else {
                buffer.write(b);
            }
        }
        if (b == -1 && buffer.size() == 0 && !tooLong) {
            return null;
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        return new Line(text, tooLong);
    }
}
