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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The training runs {@code bin/build-image.sh} makes to record the runtime image's AOT caches. {@code cli} runs the
 * commands users start with (help, version, examples list, completion) in one JVM, with their output discarded,
 * so the classes they load are stored pre-parsed and linked. {@code serve} starts the studio server (as
 * {@code miu serve} does) on a free loopback port with a temporary data directory and sends it a few requests.
 * The server gets a cache of its own because a JVM started with a cache loads all of the cache's classes before
 * {@code main}: the commands' classes would slow every server start. It touches no other network and no user files.
 */
public final class AotTraining {

    private AotTraining() {}

    /**
     * {@code cli}: the commands (for {@code lib/miu.aot}); {@code serve}: only the studio server (for
     * {@code lib/serve.aot}); no argument: both.
     */
    public static void main(String[] args) {
        String what = args.length == 0 ? "all" : args[0];
        if (!List.of("all", "cli", "serve").contains(what) || args.length > 1) {
            System.err.println("usage: AotTraining [cli|serve]");
            System.exit(2);
        }
        ConsoleLogging.useUnlessConfigured(); // as Main does, so the caches hold the logging users get
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            if (!what.equals("serve")) {
                trainCommands();
            }
            if (!what.equals("cli")) {
                trainServe();
            }
        } finally {
            System.setOut(stdout);
        }
        stdout.println("AOT training run done: " + what);
    }

    private static void trainCommands() {
        List<List<String>> commands = List.of(
                List.of("--help"),
                List.of("--version"),
                List.of("examples", "list"),
                List.of("examples", "run", "--help"),
                List.of("completion"),
                List.of("serve", "--help"));
        var sink = new PrintWriter(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        for (List<String> command : commands) {
            var cli = MiuCommandLine.create();
            cli.setOut(sink);
            cli.setErr(sink);
            cli.execute(command.toArray(String[]::new));
        }
        // config loading and JSON: every real command goes through them
        MiuConfig.load(null, Map.of());
        Json.write(Json.parseObject("{\"a\":[1,2,{\"b\":\"c\"}]}"));
    }

    /**
     * {@code miu serve} itself (the path {@link Main} takes for it, so config, tracing, MCP, RAG and the start-up log
     * are covered) with a model configured but never called, and a few requests.
     */
    private static void trainServe() {
        Path data = null;
        Thread serving = null;
        try {
            data = Files.createTempDirectory("miu-aot-training");
            Map<String, String> env = Map.of(
                    "MIU_DATA_DIR",
                    data.toString(),
                    "MIU_MODEL",
                    "anthropic:aot-training",
                    "ANTHROPIC_API_KEY",
                    "aot-training",
                    "ANTHROPIC_BASE_URL",
                    "http://127.0.0.1:9");
            ServeCommand serve = ServeFastPath.parse(new String[] {"serve", "--host", "127.0.0.1", "--port", "0"}, env);
            var log = new StringWriter();
            serve.out = new PrintWriter(log, true);
            serve.err = new PrintWriter(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
            serving = Thread.ofPlatform().name("aot-training-serve").start(() -> {
                try {
                    serve.call();
                } catch (Exception e) {
                    System.err.println("AOT training: serve failed (the cache covers less): " + e);
                }
            });
            String base = awaitUrl(log, serving);
            URI uri = URI.create(base);
            send(uri, "GET", "/api/v1/health", null);
            send(uri, "GET", "/api/v1/ready", null);
            send(uri, "POST", "/api/v1/sessions", "{\"name\":\"training\"}");
            send(uri, "GET", "/api/v1/sessions", null);
            send(uri, "GET", "/", null);
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
                    files.sorted(Comparator.reverseOrder())
                            .forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary directory left behind is harmless
                }
            }
        }
    }

    /** The URL serve logs once it listens (also used by a test that runs serve in its own thread). */
    static String awaitUrl(StringWriter log, Thread serving) throws InterruptedException {
        Matcher url =
                Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)/").matcher("");
        for (int i = 0; i < 600 && serving.isAlive(); i++) {
            if (url.reset(log.toString()).find()) {
                return url.group(1);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("serve did not start: " + log);
    }

    /**
     * One HTTP/1.1 exchange over a plain socket, read to the end. Not the JDK's HTTP client: its classes would go
     * into the server's cache, and the server never uses them.
     */
    private static void send(URI base, String method, String path, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                            + "\r\nConnection: close\r\n"
                            + (body == null
                                    ? ""
                                    : "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n")
                            + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            socket.getInputStream().readAllBytes();
        }
    }
}
