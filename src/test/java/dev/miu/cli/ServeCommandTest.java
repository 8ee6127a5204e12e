package dev.miu.cli;

import dev.miu.studio.Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code miu serve}: starts from app.yaml, environment and flags, logs what matters, blocks until stopped. */
@Timeout(60)
class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void servesUntilInterruptedAndLogsUrlModelDataAndProvider() throws Exception {
        Path yaml = dir.resolve("app.yaml");
        Files.writeString(
                yaml, "server:\n  port: 8000\n  host: 127.0.0.1\ndata-dir: " + dir.resolve("from-yaml") + "\n");
        CommandLine cli = MiuCommandLine.create();
        ((ServeCommand) cli.getSubcommands().get("serve").getCommand()).env =
                Map.of("MIU_DATA_DIR", dir.resolve("data").toString());
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serving = Thread.ofPlatform()
                .start(() -> exit.set(cli.execute("serve", "--port", "0", "--config", yaml.toString())));

        Matcher url = waitForUrl(out);
        await("the banner's last line")
                .atMost(Duration.ofSeconds(15))
                .until(() -> out.toString().contains("tracing:"));
        String log = out.toString();
        assertTrue(
                log.contains("\n  tracing:  off (set OTEL_EXPORTER_OTLP_ENDPOINT or tracing.enabled to trace)"), log);
        assertTrue(log.contains("model:    none"), log);
        assertTrue(log.contains("ANTHROPIC_API_KEY"), log);
        assertTrue(log.contains(dir.resolve("data").toString()), "MIU_DATA_DIR overrides data-dir: " + log);
        assertTrue(log.contains(yaml.toString()), log);

        Api api = new Api(URI.create(url.group(1)));
        assertEquals(200, api.get("/api/v1/health").status());
        String id = api.newSession();
        assertTrue(Files.exists(dir.resolve("data").resolve("sessions.journal")), "durable in MIU_DATA_DIR's journal");
        Path file = dir.resolve("data").resolve("sessions").resolve(id + ".json");
        // the session's file follows its journal record within half a second
        await("the session's file").atMost(Duration.ofSeconds(15)).until(() -> Files.exists(file));
        assertEquals(
                503,
                api.post("/api/v1/chat/invoke", "{\"session_id\":\"" + id + "\",\"message\":\"hi\"}")
                        .status());

        assertTrue(serving.isAlive(), "serve blocks while the server runs");
        serving.interrupt();
        serving.join(20_000);
        assertFalse(serving.isAlive());
        assertEquals(0, exit.get());
    }

    @Test
    void aBadPortIsAConfigurationError() throws IOException {
        CommandLine cli = MiuCommandLine.create();
        ((ServeCommand) cli.getSubcommands().get("serve").getCommand()).env = Map.of("MIU_PORT", "eighty");
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(2, cli.execute("serve"));
        assertTrue(err.toString().contains("MIU_PORT must be a number"), err.toString());
    }

    @Test
    void aPortInUseFailsWithTheReasonInsteadOfServingNothing() throws IOException {
        try (var taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CommandLine cli = MiuCommandLine.create();
            ((ServeCommand) cli.getSubcommands().get("serve").getCommand()).env =
                    Map.of("MIU_DATA_DIR", dir.toString());
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));

            int exit = cli.execute("serve", "--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()));

            assertEquals(2, exit, "returns instead of waiting forever on a server that is not listening");
            assertTrue(err.toString().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), err.toString());
            assertTrue(err.toString().toLowerCase(java.util.Locale.ROOT).contains("in use"), err.toString());
            assertFalse(out.toString().contains("listening on"), out.toString());
        }
    }

    private static Matcher waitForUrl(StringWriter out) {
        Pattern pattern = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)/");
        return await("serve logs its URL")
                .atMost(Duration.ofSeconds(30))
                .until(() -> pattern.matcher(out.toString()), Matcher::find);
    }
}
