package dev.miu.cli;

import dev.miu.config.MiuConfig;
import dev.miu.core.json.Json;

import dev.miu.config.TracingConfig;
import dev.miu.core.tracing.Tracing;
import dev.miu.core.tracing.TracingSetup;
import dev.miu.studio.Studio;
import dev.miu.studio.StudioServer;
import io.helidon.webserver.WebServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

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

    /** The studio's start-up path and a few requests, with no provider configured (chats answer 503). */
    private static void trainServe() {
        Path data = null;
        try {
            data = Files.createTempDirectory("miu-aot-training");
            Map<String, String> env = Map.of("MIU_DATA_DIR", data.toString(), "MIU_HOST", "127.0.0.1", "MIU_PORT", "0");
            MiuConfig config = MiuConfig.load(null, env);
            Tracing tracing = TracingSetup.create(TracingConfig.load(config, env));
            Studio studio = Studio.create(config);
            WebServer server = StudioServer.start(studio);
            try {
                StudioServer.describe(studio, server);
                String base = "http://127.0.0.1:" + server.port();
                var http = HttpClient.newHttpClient();
                send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/health")).build());
                send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/ready")).build());
                send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/sessions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"training\"}")).build());
                send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/sessions")).build());
                send(http, HttpRequest.newBuilder(URI.create(base + "/")).build());
            } finally {
                server.stop();
                TracingSetup.shutdown(tracing);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("AOT training: the studio round trip failed (the cache covers less): " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (data != null) {
                try (var files = Files.walk(data)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary directory left behind is harmless
                }
            }
        }
    }

    private static void send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
