package dev.miu.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forward HTTP proxy for tests, on a real socket: {@code CONNECT host:port} opens a tunnel that copies bytes both
 * ways (TLS runs inside it, end to end), and a request in absolute form ({@code POST http://host:port/path}) is
 * passed on to its origin with the request line in origin form, the rest of the connection copied as is. It records
 * the first request line and the {@code Proxy-Authorization} header of every connection. Every host name resolves to
 * this machine (the proxy stands in for a company proxy's DNS), so tests can use names such as {@code provider.test}
 * that the client itself could never resolve: a request that reached the server went through the proxy.
 */
public final class RecordingProxy implements AutoCloseable {

    /** What one client connection asked the proxy for. */
    public record Seen(String requestLine, String proxyAuthorization) {}

    private final ServerSocket server;
    private final String requiredAuthorization;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private RecordingProxy(ServerSocket server, String requiredAuthorization) {
        this.server = server;
        this.requiredAuthorization = requiredAuthorization;
    }

    /** A proxy on a free port of 127.0.0.1 that asks for no credentials. */
    public static RecordingProxy start() throws IOException {
        return start(null);
    }

    /** A proxy that answers 407 unless {@code Proxy-Authorization} is exactly {@code requiredAuthorization}. */
    public static RecordingProxy start(String requiredAuthorization) throws IOException {
        var socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        var proxy = new RecordingProxy(socket, requiredAuthorization);
        Thread.ofVirtual().name("recording-proxy-accept").start(proxy::acceptLoop);
        return proxy;
    }

    /** {@code http://127.0.0.1:PORT}, the value of HTTPS_PROXY / HTTP_PROXY. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every connection's first request line and credentials, in order. */
    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread.ofVirtual().name("recording-proxy").start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            List<String> head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            String requestLine = head.getFirst();
            String authorization = null;
            for (String line : head.subList(1, head.size())) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("proxy-authorization")) {
                    authorization = line.substring(colon + 1).strip();
                }
            }
            seen.add(new Seen(requestLine, authorization));
            if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                                + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return;
            }
            String[] parts = requestLine.split(" ");
            if (parts.length != 3) {
                return;
            }
            if (parts[0].equals("CONNECT")) {
                int colon = parts[1].lastIndexOf(':');
                try (Socket upstream = connect(Integer.parseInt(parts[1].substring(colon + 1)))) {
                    out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    pipe(client, upstream, in, out, new byte[0]);
                }
                return;
            }
            URI target = URI.create(parts[1]);
            if (target.getScheme() == null) {
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            var forwarded = new StringBuilder();
            String path = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
            forwarded
                    .append(parts[0])
                    .append(' ')
                    .append(path)
                    .append(' ')
                    .append(parts[2])
                    .append("\r\n");
            for (String line : head.subList(1, head.size())) {
                if (!line.toLowerCase(Locale.ROOT).startsWith("proxy-")) {
                    forwarded.append(line).append("\r\n");
                }
            }
            forwarded.append("\r\n");
            try (Socket upstream = connect(target.getPort() > 0 ? target.getPort() : 80)) {
                pipe(client, upstream, in, out, forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            // a side went away: the connection ends
        } finally {
            open.remove(client);
        }
    }

    private Socket connect(int port) throws IOException {
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        open.add(upstream);
        return upstream;
    }

    /** Sends {@code first} upstream, then copies bytes both ways until either side closes. */
    private static void pipe(Socket client, Socket upstream, InputStream clientIn, OutputStream clientOut, byte[] first)
            throws IOException {
        OutputStream upOut = upstream.getOutputStream();
        upOut.write(first);
        upOut.flush();
        Thread back = Thread.ofVirtual().start(() -> {
            try {
                upstream.getInputStream().transferTo(clientOut);
            } catch (IOException e) {
                // closed
            } finally {
                close(client);
            }
        });
        try {
            clientIn.transferTo(upOut);
        } catch (IOException e) {
            // closed
        } finally {
            close(upstream);
        }
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The request head's lines, read byte by byte so nothing after it is consumed. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        var line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r")) {
                    text = text.substring(0, text.length() - 1);
                }
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
                line.reset();
            } else {
                line.write(c);
            }
        }
        return List.of();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            close(s);
        }
    }
}
