package dev.miu.core.mcp;

import dev.miu.testing.Prerequisites;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The reference MCP servers from npm that .ci/run installs globally ({@code npm install -g
 * @modelcontextprotocol/server-everything @modelcontextprotocol/server-filesystem}). A test that needs one is
 * skipped, saying what to install, when its binary is not on the PATH; under {@code CI=true} it fails instead
 * ({@link Prerequisites}).
 */
public final class NpmMcpServers {

    public static final String EVERYTHING = "mcp-server-everything";
    public static final String FILESYSTEM = "mcp-server-filesystem";

    private NpmMcpServers() {}

    /** The absolute path of {@code binary} on the PATH; skips the test (fails it under CI) if it is not installed. */
    public static String require(String binary) {
        return Prerequisites.executable(
                        binary,
                        "npm install -g @modelcontextprotocol/server-everything @modelcontextprotocol/server-filesystem")
                .toString();
    }

    /** server-everything over stdio. */
    public static McpServerConfig.Stdio everythingStdio() {
        return new McpServerConfig.Stdio(require(EVERYTHING), List.of("stdio"), Map.of());
    }

    /** server-filesystem allowed to touch {@code root} only. */
    public static McpServerConfig.Stdio filesystem(Path root) {
        return new McpServerConfig.Stdio(require(FILESYSTEM), List.of(root.toString()), Map.of());
    }

    /** server-everything serving Streamable HTTP at {@code /mcp} on a free loopback port; close stops it. */
    static final class HttpEverything implements AutoCloseable {
        final Process process;
        final int port;

        private HttpEverything(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static HttpEverything start() throws IOException, InterruptedException {
            String binary = require(EVERYTHING);
            int port;
            try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            var builder = new ProcessBuilder(binary, "streamableHttp")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("PORT", String.valueOf(port));
            Process process = builder.start();
            var server = new HttpEverything(process, port);
            try {
                await("server-everything (streamableHttp) listens on port " + port)
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100))
                        .failFast("server-everything (streamableHttp) exited", () -> !process.isAlive())
                        .until(() -> listens(port));
                return server;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }

        private static boolean listens(int port) {
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + port + "/mcp");
        }

        McpServerConfig.Http config(Map<String, String> headers) {
            return new McpServerConfig.Http(url(), headers);
        }

        @Override
        public void close() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
