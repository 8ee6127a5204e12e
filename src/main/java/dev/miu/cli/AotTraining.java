package dev.miu.cli;

import dev.miu.config.MiuConfig;
import dev.miu.core.json.Json;


import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The training run {@code bin/build-image.sh} makes to record the runtime image's AOT cache: it runs the
 * commands users start with (help, version, examples list, completion) in one JVM, with their output discarded,
 * so the classes they load are stored pre-parsed and linked. It also starts the studio server (as {@code miu serve}
 * does) on a free loopback port with a temporary data directory and sends it a few requests, so {@code serve} starts
 * fast too. It touches no other network and no user files.
 *
 * <p>With the argument {@code serve} it makes only the studio round trip, over plain sockets: that records the cache
 * {@code bin/miu serve} uses ({@code lib/serve.aot}), which holds only what serving loads. Every class in an AOT cache
 * is loaded when the JVM starts, so classes of the other commands (picocli, the coding agent, the HTTP client) would
 * cost the server's start-up time it never gets back.
 */
public final class AotTraining {

    private AotTraining() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("serve")) {
            trainServe(AotTraining::sendOverSocket);
            System.out.println("AOT training run done: a studio round trip");
            return;
        }
        if (args.length != 0) {
            throw new IllegalArgumentException("usage: AotTraining [serve]");
        }
        List<List<String>> commands = List.of(
                List.of("--help"), List.of("--version"), List.of("examples", "list"), List.of("examples", "run", "--help"),
                List.of("completion"), List.of("serve", "--help"));
        var sink = new PrintWriter(OutputStream.nullOutputStream());
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            for (List<String> command : commands) {
                var cli = Main.commandLine();
                cli.setOut(sink);
                cli.setErr(sink);
                cli.execute(command.toArray(String[]::new));
            }
            // config loading and JSON: every real command goes through them
            MiuConfig.load(null, Map.of());
            Json.write(Json.parseObject("{\"a\":[1,2,{\"b\":\"c\"}]}"));
            var http = HttpClient.newHttpClient(); // the other commands talk to providers with it
            trainServe((base, method, path, body) -> send(http, base, method, path, body));
        } finally {
            System.setOut(stdout);
        }
        stdout.println("AOT training run done: " + commands.size() + " commands and a studio round trip");
    }

    /**
     * {@code miu serve} itself (the path {@link Main} takes for it, so config, tracing, MCP, RAG and the start-up log
     * are covered) with a model configured but never called, and a few requests.
     */
    private static void trainServe(Client client) {
        Path data = null;
        Thread serving = null;
        try {
            data = Files.createTempDirectory("miu-aot-training");
            Map<String, String> env = Map.of("MIU_DATA_DIR", data.toString(), "MIU_MODEL", "anthropic:aot-training",
                    "ANTHROPIC_API_KEY", "aot-training", "ANTHROPIC_BASE_URL", "http://127.0.0.1:9");
            ServeCommand serve = ServeFastPath.parse(new String[] {"serve", "--host", "127.0.0.1", "--port", "0"}, env);
            var log = new StringWriter();
            serve.out = new PrintWriter(log, true);
            serve.err = new PrintWriter(OutputStream.nullOutputStream());
            serving = Thread.ofPlatform().name("aot-training-serve").start(() -> {
                try {
                    serve.call();
                } catch (Exception e) {
                    System.err.println("AOT training: serve failed (the cache covers less): " + e);
                }
            });
            String base = awaitUrl(log, serving);
            client.send(base, "GET", "/api/v1/health", null);
            client.send(base, "GET", "/api/v1/ready", null);
            client.send(base, "POST", "/api/v1/sessions", "{\"name\":\"training\"}");
            client.send(base, "GET", "/api/v1/sessions", null);
            client.send(base, "GET", "/", null);
        } catch (IOException | RuntimeException e) {
            System.err.println("AOT training: the studio round trip failed (the cache covers less): " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (serving != null) {
                serving.interrupt(); // serve stops its server cleanly when interrupted
                try {
                    serving.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (data != null) {
                try (var files = Files.walk(data)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary directory left behind is harmless
                }
            }
        }
    }

    /** The URL serve logs once it listens. */
    private static String awaitUrl(StringWriter log, Thread serving) throws InterruptedException {
        Matcher url = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)/").matcher("");
        for (int i = 0; i < 600 && serving.isAlive(); i++) {
            if (url.reset(log.toString()).find()) {
                return url.group(1);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("serve did not start: " + log);
    }

    /** One request to the training server; the answer is read and dropped. */
    @FunctionalInterface
    private interface Client {
        void send(String base, String method, String path, String body) throws IOException, InterruptedException;
    }

    private static void send(HttpClient http, String base, String method, String path, String body)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(base + path));
        if (body != null) {
            request.method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** HTTP/1.1 by hand, so the serve-only cache holds none of the JDK's HTTP client. */
    private static void sendOverSocket(String base, String method, String path, String body) throws IOException {
        URI uri = URI.create(base);
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nConnection: close\r\n"
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n")
                + "\r\n";
        try (var socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            socket.getInputStream().transferTo(OutputStream.nullOutputStream()); // the server closes after answering
        }
    }
}
