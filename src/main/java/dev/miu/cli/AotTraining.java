package dev.miu.cli;

import dev.miu.config.MiuConfig;
import dev.miu.core.json.Json;


import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 */
public final class AotTraining {

    private AotTraining() {
    }

    public static void main(String[] args) {
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
            trainServe();
        } finally {
            System.setOut(stdout);
        }
        stdout.println("AOT training run done: " + commands.size() + " commands and a studio round trip");
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
            var http = HttpClient.newHttpClient();
            send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/health")).build());
            send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/ready")).build());
            send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/sessions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"training\"}")).build());
            send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/sessions")).build());
            send(http, HttpRequest.newBuilder(URI.create(base + "/")).build());
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

    private static void send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
