package dev.miu.studio;

import dev.miu.core.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A small HTTP client for the studio API, on the JDK's HttpClient (which also reads SSE bodies line by line). */
public final class Api {

    private final HttpClient client = HttpClient.newHttpClient();
    private final URI base;
    private final String[] headers;

    public Api(URI base, String... headers) {
        this.base = base;
        this.headers = headers;
    }

    public Api withHeaders(String... more) {
        return new Api(base, more);
    }

    public URI base() {
        return base;
    }

    public Resp get(String path) {
        return send("GET", path, null);
    }

    public Resp post(String path, String body) {
        return send("POST", path, body);
    }

    public Resp patch(String path, String body) {
        return send("PATCH", path, body);
    }

    public Resp delete(String path) {
        return send("DELETE", path, null);
    }

    public Resp send(String method, String path, String body) {
        try {
            HttpResponse<String> r = client.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
            return new Resp(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a session and returns its id. */
    public String newSession() {
        Resp r = post("/api/v1/sessions", "{}");
        if (r.status() != 201) {
            throw new AssertionError("cannot create a session: " + r);
        }
        return r.json().getString("id");
    }

    /** POSTs to an SSE route and returns the status and every {@code data:} frame, read until the stream ends. */
    public SseResult stream(String path, String body) {
        try {
            HttpResponse<Stream<String>> r =
                    client.send(request("POST", path, body), HttpResponse.BodyHandlers.ofLines());
            List<String> raw = new ArrayList<>();
            List<JsonObject> events = new ArrayList<>();
            try (Stream<String> lines = r.body()) {
                lines.forEach(line -> {
                    raw.add(line);
                    if (line.startsWith("data:")) {
                        events.add(Json.parseObject(line.substring(5).strip()));
                    }
                });
            }
            return new SseResult(r.statusCode(), r.headers(), raw, events);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest request(String method, String path, String body) {
        var builder = HttpRequest.newBuilder(base.resolve(path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder.build();
    }

    /**
     * One request over a plain socket with {@code Connection: close}, read until the server closes the connection
     * (what an HTTP/1.1 client may do after asking for that). Fails if the server keeps the connection open for 10 s.
     *
     * @return everything the server sent, status line and headers included
     */
    public String closingExchange(String method, String path, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nConnection: close\r\n"
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n")
                + "\r\n";
        try (var socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open after Connection: close", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public record Resp(int status, String body, HttpHeaders headers) {
        public JsonObject json() {
            return Json.parseObject(body);
        }

        public JsonArray array() {
            return Json.parse(body).asJsonArray();
        }

        public String detail() {
            return json().getString("detail");
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public record SseResult(int status, HttpHeaders headers, List<String> lines, List<JsonObject> events) {
        public List<String> types() {
            return events.stream().map(e -> e.getString("type")).toList();
        }

        /** The event types with runs of chunks collapsed to one, for comparing sequences. */
        public List<String> shape() {
            List<String> out = new ArrayList<>();
            for (String t : types()) {
                if (!(t.equals("chunk") && !out.isEmpty() && out.getLast().equals("chunk"))) {
                    out.add(t);
                }
            }
            return out;
        }

        public String text() {
            StringBuilder sb = new StringBuilder();
            events.stream()
                    .filter(e -> e.getString("type").equals("chunk"))
                    .forEach(e -> sb.append(e.getString("content")));
            return sb.toString();
        }
    }
}
