package dev.miu.studio.transport;

import dev.miu.config.ConnectionLimits;
import dev.miu.config.MiuConfig;
import dev.miu.core.ConfigurationException;
import dev.miu.testing.ChildEnvironment;
import dev.miu.testing.TempDirs;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code server.max-connections}: a client opening connections up to the file-descriptor limit neither kills the
 * listener nor keeps others out for good (issue 21, item 2). The server runs as its own process under
 * {@code ulimit -n 256}, as a user's would under a low limit.
 */
@Timeout(120)
class ConnectionLimitsTest {

    @Test
    void settingsAreReadAndChecked() throws IOException {
        Path dir = TempDirs.create("miu-limits");
        Path yaml = dir.resolve("app.yaml");
        Files.writeString(
                yaml,
                "server:\n  max-connections: 300\n  idle-timeout: 5s\n"
                        + "  request-head-timeout: 3s\n  body-timeout: 4s\n");
        var limits = MiuConfig.load(yaml, Map.of()).server().limits();
        assertEquals(
                new ConnectionLimits(300, Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(4)), limits);
        assertEquals(
                ConnectionLimits.DEFAULT,
                MiuConfig.load(null, Map.of()).server().limits());
        assertEquals(
                40,
                MiuConfig.load(yaml, Map.of("MIU_MAX_CONNECTIONS", "40"))
                        .server()
                        .limits()
                        .maxConnections());
        assertTrue(ConnectionLimits.DEFAULT.effectiveMaxConnections() >= 16, "0 is half the free descriptors");

        Files.writeString(yaml, "server:\n  body-timeout: 0s\n");
        var e = assertThrows(ConfigurationException.class, () -> MiuConfig.load(yaml, Map.of()));
        assertTrue(e.getMessage().contains("server.body-timeout"), e.getMessage());
        Files.writeString(yaml, "server:\n  max-connections: -1\n");
        assertThrows(ConfigurationException.class, () -> MiuConfig.load(yaml, Map.of()));
    }

    @Test
    void aClientTakingEveryDescriptorDoesNotKillTheListener() throws Exception {
        Path dir = TempDirs.create("miu-fd-limit");
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path config = dir.resolve("app.yaml");
        Files.writeString(config, "server:\n  idle-timeout: 2s\n");
        Process server = startUnderLowLimit(dir, config, port);
        URI uri = URI.create("http://127.0.0.1:" + port);
        List<Socket> held = new ArrayList<>();
        try {
            awaitHealth(uri, server, dir.resolve("serve.log"));
            // a connection that says nothing is closed by the idle timeout (Helidon never looked at one)
            try (var silent = new Socket("127.0.0.1", port)) {
                silent.setSoTimeout(20_000);
                RawHttp.Answer answer = RawHttp.read(silent.getInputStream(), System.nanoTime());
                assertTrue(answer.closed() && answer.text().isEmpty(), "closed, silently: " + answer);
            }
            // far more connections than the process has descriptors
            int refused = 0;
            for (int i = 0; i < 400; i++) {
                var socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                held.add(socket);
            }
            // the excess is answered 503 and closed (or waits in the backlog), never served
            RawHttp.Answer excess = RawHttp.exchange(uri, health(), Duration.ofSeconds(5));
            assertTrue(
                    excess.status() == 503 || !excess.closed() || excess.text().isEmpty(), excess.text());
            for (Socket s : held) {
                s.setSoTimeout(50);
                try {
                    if (s.getInputStream().read() >= 0) {
                        refused++;
                    }
                } catch (IOException e) {
                    // still open and silent: one the server holds
                }
            }
            assertTrue(refused > 0, "connections over the limit are refused");
            for (Socket s : held) {
                s.close();
            }
            held.clear();
            // the listener lives: once the client lets go, the server answers again
            RawHttp.Answer after = awaitHealth(uri, server, dir.resolve("serve.log"));
            assertEquals(200, after.status(), after.text());
            assertTrue(server.isAlive());
            String log = Files.readString(dir.resolve("serve.log"));
            assertFalse(log.contains("terminating now"), log);
            assertTrue(log.contains("limits:"), log);
            assertTrue(log.contains("data:     " + dir.resolve("data")), log);
        } finally {
            for (Socket s : held) {
                s.close();
            }
            server.destroy();
            server.waitFor();
        }
    }

    /**
     * A limit set higher than the descriptors allow lets accept() itself fail ("Too many open files"): Helidon 4.5
     * then closes its server socket for good, and miu binds a new one once descriptors are free again.
     */
    @Test
    void aListenerThatRanOutOfDescriptorsIsStartedAgain() throws Exception {
        Path dir = TempDirs.create("miu-fd-revival");
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path config = dir.resolve("app.yaml");
        Files.writeString(config, "server:\n  max-connections: 1000\n");
        Process server = startUnderLowLimit(dir, config, port);
        URI uri = URI.create("http://127.0.0.1:" + port);
        List<Socket> held = new ArrayList<>();
        try {
            awaitHealth(uri, server, dir.resolve("serve.log"));
            for (int i = 0; i < 400; i++) {
                var socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                    held.add(socket);
                } catch (IOException e) {
                    socket.close(); // the listener is gone (before miu starts it again)
                }
            }
            waitForLog(dir.resolve("serve.log"), "starting it again", server);
            for (Socket s : held) {
                s.close();
            }
            held.clear();
            awaitHealth(uri, server, dir.resolve("serve.log"));
            assertTrue(Files.readString(dir.resolve("serve.log")).contains("listening again on 127.0.0.1:" + port));
        } finally {
            for (Socket s : held) {
                s.close();
            }
            server.destroy();
            server.waitFor();
        }
    }

    private static Process startUnderLowLimit(Path dir, Path config, int port) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "ulimit -n 256; exec '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' dev.miu.cli.Main serve --config '" + config + "' --host 127.0.0.1 --port " + port;
        var builder = new ProcessBuilder("bash", "-c", command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("serve.log").toFile());
        ChildEnvironment.removeProviderAndMiuSettings(builder.environment());
        builder.environment().put("MIU_DATA_DIR", dir.resolve("data").toString()); // after: MIU_* are removed
        return builder.start();
    }

    private static void waitForLog(Path log, String text, Process server) throws IOException {
        try {
            await("'" + text + "' in the log")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .failFast("miu serve exited", () -> !server.isAlive())
                    .until(() -> Files.readString(log).contains(text));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "; the log:\n" + Files.readString(log), e);
        }
    }

    private static String health() {
        return "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    }

    /** The first 200 from the health route; fails with the server's log if miu serve exits or never answers. */
    private static RawHttp.Answer awaitHealth(URI uri, Process server, Path log) throws IOException {
        try {
            return await("miu serve answers its health route")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .failFast("miu serve exited", () -> !server.isAlive())
                    .ignoreExceptionsInstanceOf(IOException.class) // not listening (yet, or again)
                    .until(
                            () -> RawHttp.exchange(uri, health(), Duration.ofSeconds(5)),
                            answer -> answer.status() == 200);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "; the log:\n" + Files.readString(log), e);
        }
    }
}
