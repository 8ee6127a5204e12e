package dev.miu.bench;

import dev.miu.testing.AnthropicWire;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The benchmark's model provider: the Anthropic Messages API ({@code POST /v1/messages}) on 127.0.0.1 over plain
 * keep-alive sockets, answering every call with one canned turn rendered by {@link AnthropicWire}, as chunked
 * SSE when the request asks to stream (as Anthropic does) or as a JSON message otherwise. Without a chunk delay
 * the whole answer (status, headers, one chunk with every event, the last chunk) is rendered once per model and
 * sent in one write, so the provider costs little more than reading the request; with a delay each event is its
 * own chunk, sent after the delay, as a slow model would. Requests without the API key get Anthropic's 401.
 * Unlike {@code ScriptedLlmServer} it keeps no request log, so it can serve millions of calls.
 */
final class CannedProvider implements AutoCloseable {

    private static final AnthropicWire WIRE = new AnthropicWire();
    private static final int MAX_HEADERS = 64 * 1024;
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final ServerSocket server;
    private final boolean platformThreads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final LongAdder calls = new LongAdder();
    private volatile Reply.Turn reply;
    /** Whole answers without delay, by model and streaming; rebuilt when the reply changes. */
    private volatile Map<String, byte[]> rendered = new ConcurrentHashMap<>();

    private CannedProvider(ServerSocket server, Reply.Turn reply, boolean platformThreads) {
        this.server = server;
        this.reply = reply;
        this.platformThreads = platformThreads;
    }

    /**
     * Listens on a free port of 127.0.0.1. With {@code platformThreads} each connection gets a platform thread
     * (a blocking read wakes it directly; fastest for a few hundred connections), else a virtual thread (for
     * thousands of slow streams).
     */
    static CannedProvider start(Reply.Turn reply, boolean platformThreads) throws IOException {
        var socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        var provider = new CannedProvider(socket, reply, platformThreads);
        Thread.ofPlatform().daemon().name("canned-provider-accept").start(provider::acceptLoop);
        return provider;
    }

    /**
     * Runs a provider in a process of its own, so its sockets do not count against the load generator's limit
     * of open files: {@code CannedProvider WORDS DELAY_MILLIS}. Prints {@code port N}, then serves until its
     * standard input closes (when the benchmark ends or dies).
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: CannedProvider WORDS DELAY_MILLIS");
        }
        Reply.Turn turn = Reply.text(StudioBench.words(Integer.parseInt(args[0])))
                .withChunkDelay(java.time.Duration.ofMillis(Long.parseLong(args[1])));
        try (CannedProvider provider = start(turn, false)) {
            System.out.println("port " + provider.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to go away
            }
        }
    }

    /** The turn every later call is answered with. */
    void reply(Reply.Turn turn) {
        reply = turn;
        rendered = new ConcurrentHashMap<>();
    }

    int port() {
        return server.getLocalPort();
    }

    long calls() {
        return calls.sum();
    }

    /** Environment variables that point miu's Anthropic provider here. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ANTHROPIC_API_KEY", ScriptedLlmServer.API_KEY);
        env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + port());
        return env;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                open.add(s);
                Runnable serve = () -> serve(s);
                if (platformThreads) {
                    Thread.ofPlatform()
                            .daemon()
                            .name("canned-provider")
                            .stackSize(256 * 1024)
                            .start(serve);
                } else {
                    Thread.ofVirtual().name("canned-provider").start(serve);
                }
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("canned provider: accept failed: " + e);
                    try {
                        Thread.sleep(100); // e.g. out of file descriptors: let streams finish rather than spin
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }

    /** Answers requests on one connection until the client closes it or a request is malformed. */
    private void serve(Socket socket) {
        try (socket) {
            var in = new RequestReader(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                RequestReader.Request request = in.next();
                if (request == null) {
                    return;
                }
                calls.increment();
                if (!answer(request, out) || request.close()) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away or sent something that is not HTTP; the connection ends either way
        } finally {
            open.remove(socket);
        }
    }

    /** Writes one answer; false when the connection must end (a stream was cut short). */
    private boolean answer(RequestReader.Request request, OutputStream out) throws IOException {
        if (!request.method().equals("POST") || !request.path().equals("/v1/messages")) {
            send(
                    out,
                    404,
                    "application/json",
                    WIRE.errorBody("not_found_error", "no API at " + request.method() + " " + request.path()));
            return true;
        }
        if (!ScriptedLlmServer.API_KEY.equals(request.apiKey())) {
            send(out, 401, "application/json", WIRE.errorBody("authentication_error", "invalid x-api-key"));
            return true;
        }
        String body = new String(request.body(), StandardCharsets.UTF_8);
        String model = stringField(body, "model");
        if (model == null) {
            send(out, 400, "application/json", WIRE.errorBody("invalid_request_error", "model: Field required"));
            return true;
        }
        boolean stream = body.contains("\"stream\":true");
        Reply.Turn turn = reply;
        if (!stream) {
            out.write(rendered.computeIfAbsent(
                    "plain " + model,
                    k -> response(
                            200, "application/json", WIRE.plainTurn(turn, model).getBytes(StandardCharsets.UTF_8))));
            return true;
        }
        if (turn.chunkDelay().isZero()) {
            out.write(rendered.computeIfAbsent("stream " + model, k -> wholeStream(turn, model)));
            return true;
        }
        out.write(streamHead());
        for (String frame : WIRE.streamTurn(turn, model)) {
            try {
                Thread.sleep(turn.chunkDelay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            out.write(chunk(frame.getBytes(StandardCharsets.UTF_8)));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return true;
    }

    private static byte[] wholeStream(Reply.Turn turn, String model) {
        StringBuilder events = new StringBuilder();
        for (String frame : WIRE.streamTurn(turn, model)) {
            events.append(frame);
        }
        byte[] head = streamHead();
        byte[] body = chunk(events.toString().getBytes(StandardCharsets.UTF_8));
        byte[] end = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length + end.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        System.arraycopy(end, 0, all, head.length + body.length, end.length);
        return all;
    }

    private static byte[] streamHead() {
        return ("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\n"
                        + "transfer-encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] chunk(byte[] data) {
        byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(data, 0, all, head.length, data.length);
        all[all.length - 2] = '\r';
        all[all.length - 1] = '\n';
        return all;
    }

    private static void send(OutputStream out, int status, String type, String json) throws IOException {
        out.write(response(status, type, json.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] response(int status, String type, byte[] body) {
        String reason = switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            default -> "Not Found";
        };
        byte[] head = ("HTTP/1.1 " + status + " " + reason + "\r\ncontent-type: " + type + "\r\ncontent-length: "
                        + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** The value of a top-level string field such as {@code "model":"x"} in compact JSON, or null. */
    static String stringField(String json, String name) {
        String key = "\"" + name + "\":";
        int at = json.indexOf(key);
        if (at < 0) {
            return null;
        }
        int start = at + key.length();
        while (start < json.length() && json.charAt(start) == ' ') {
            start++;
        }
        if (start >= json.length() || json.charAt(start) != '"') {
            return null;
        }
        int end = json.indexOf('"', start + 1);
        return end < 0 ? null : json.substring(start + 1, end);
    }

    /** Reads HTTP/1.1 requests off one connection: Content-Length or chunked bodies. */
    private static final class RequestReader {

        record Request(String method, String path, String apiKey, boolean close, byte[] body) {}

        private final InputStream in;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int limit;

        RequestReader(InputStream in) {
            this.in = in;
        }

        /** The next request, or null when the client closed the connection between requests. */
        Request next() throws IOException {
            String requestLine = line();
            if (requestLine == null) {
                return null;
            }
            String[] parts = requestLine.split(" ");
            if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP request line: " + requestLine);
            }
            long length = 0;
            boolean chunked = false;
            boolean close = parts[2].equals("HTTP/1.0");
            String apiKey = null;
            int headerBytes = 0;
            String header;
            while (!(header = requireLine()).isEmpty()) {
                headerBytes += header.length();
                if (headerBytes > MAX_HEADERS) {
                    throw new IOException("request headers too large");
                }
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("bad header: " + header);
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" ->
                        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    case "x-api-key" -> apiKey = value;
                    default -> {
                        // not needed to answer
                    }
                }
            }
            byte[] body = chunked ? chunkedBody() : bytes(length);
            return new Request(parts[0], parts[1], apiKey, close, body);
        }

        private byte[] chunkedBody() throws IOException {
            var body = new java.io.ByteArrayOutputStream();
            while (true) {
                String size = requireLine();
                int semi = size.indexOf(';');
                long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    while (!requireLine().isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                if (body.size() + n > MAX_BODY) {
                    throw new IOException("request body too large");
                }
                body.write(bytes(n));
                requireLine();
            }
        }

        private byte[] bytes(long n) throws IOException {
            if (n < 0 || n > MAX_BODY) {
                throw new IOException("bad request body length " + n);
            }
            byte[] out = new byte[(int) n];
            int done = 0;
            while (done < n) {
                if (pos == limit && !fill()) {
                    throw new IOException("the connection closed inside a request body");
                }
                int k = Math.min((int) n - done, limit - pos);
                System.arraycopy(buf, pos, out, done, k);
                pos += k;
                done += k;
            }
            return out;
        }

        private String requireLine() throws IOException {
            String line = line();
            if (line == null) {
                throw new IOException("the connection closed inside a request");
            }
            return line;
        }

        private String line() throws IOException {
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
                        if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
                            line.setLength(line.length() - 1);
                        }
                        return line.toString();
                    }
                }
                if (line == null) {
                    line = new StringBuilder();
                }
                line.append(new String(buf, pos, limit - pos, StandardCharsets.ISO_8859_1));
                if (line.length() > MAX_HEADERS) {
                    throw new IOException("request line too long");
                }
                pos = limit;
            }
        }

        private boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        }
    }
}
