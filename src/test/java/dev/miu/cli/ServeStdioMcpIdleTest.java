package dev.miu.cli;

import dev.miu.core.json.Json;
import dev.miu.core.mcp.NpmMcpServers;
import dev.miu.testing.ChildEnvironment;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 21, item 1: {@code miu serve} with a stdio MCP server stopped answering HTTP after about a minute idle,
 * and SIGTERM could not stop it, because the child's stdout and stderr readers were virtual threads blocked in
 * pipe reads, each holding a carrier. Here serve runs in its own JVM with one carrier (the hang then needs no
 * more than one core's worth of readers), the real filesystem server attached, idles past the point where the
 * scheduler's spare carriers have timed out, and must then still chat (calling the server's tool) and stop on
 * SIGTERM.
 */
@Timeout(180)
class ServeStdioMcpIdleTest {

    /**
     * Idle long enough for the scheduler's spare carriers (kept 30 s) to be gone: with one carrier, serve stopped
     * answering after 40 s (with the machine's default carriers, after about 75 s).
     */
    private static final Duration IDLE = Duration.ofSeconds(45);

    private static final Duration ANSWER = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void anIdleServerWithAStdioMcpServerStillChatsAndStopsOnSigterm() throws Exception {
        String filesystem = NpmMcpServers.require(NpmMcpServers.FILESYSTEM);
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.writeString(root.resolve("notes.txt"), "hello");
        Path mcpJson = dir.resolve("mcp.json");
        Files.writeString(
                mcpJson,
                Json.write(Json.object()
                        .add(
                                "mcpServers",
                                Json.object()
                                        .add(
                                                "fs",
                                                Json.object()
                                                        .add("command", filesystem)
                                                        .add(
                                                                "args",
                                                                Json.array().add(root.toString()))))
                        .build()));

        try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
            Process serve = serve(llm, mcpJson);
            try {
                StringBuilder banner = new StringBuilder();
                URI base = URI.create(awaitUrl(serve, banner));
                assertTrue(banner.toString().contains("mcp:      1 of 1 servers running"), banner.toString());

                Thread.sleep(IDLE.toMillis());

                HttpResponse<String> session = send(base, "POST", "/api/v1/sessions", "{}");
                assertEquals(201, session.statusCode(), session.body());
                String id = Json.parseObject(session.body()).getString("id");
                llm.enqueue(
                        Reply.toolCall(
                                "toolu_1",
                                "fs__list_directory",
                                Json.write(Json.object()
                                        .add("path", root.toString())
                                        .build())),
                        Reply.text("There is notes.txt."));
                HttpResponse<String> chat = send(
                        base,
                        "POST",
                        "/api/v1/chat/invoke",
                        Json.write(Json.object()
                                .add("session_id", id)
                                .add("message", "What is in the folder?")
                                .build()));
                assertEquals(200, chat.statusCode(), chat.body());
                assertEquals(
                        "There is notes.txt.", Json.parseObject(chat.body()).getString("response"));
                assertTrue(
                        llm.requests().get(1).body().contains("[FILE] notes.txt"),
                        "the MCP server answered after the idle time");
                llm.assertAllConsumed();
            } catch (Throwable failed) {
                serve.descendants().forEach(ProcessHandle::destroyForcibly);
                serve.destroyForcibly();
                throw failed;
            }
            serve.destroy();
            boolean stopped = serve.waitFor(20, TimeUnit.SECONDS);
            if (!stopped) {
                serve.descendants().forEach(ProcessHandle::destroyForcibly);
                serve.destroyForcibly();
            }
            assertTrue(stopped, "serve did not stop within 20 s of SIGTERM");
            assertEquals(143, serve.exitValue(), "SIGTERM stops serve through its shutdown hook");
        }
    }

    /** One request with a time limit, so a server that stopped answering fails the test instead of hanging it. */
    private static HttpResponse<String> send(URI base, String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(ANSWER)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        try (var client = HttpClient.newBuilder().connectTimeout(ANSWER).build()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return fail("serve did not answer " + method + " " + path + " within " + ANSWER.toSeconds() + " s after "
                    + IDLE.toSeconds() + " s idle");
        }
    }

    /** serve in its own JVM with a single carrier thread for virtual threads, on any free port. */
    private Process serve(ScriptedLlmServer llm, Path mcpJson) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(
                        java,
                        "-Djdk.virtualThreadScheduler.parallelism=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "serve",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--mcp-config",
                        mcpJson.toString())
                .redirectErrorStream(true)
                .directory(dir.toFile());
        ChildEnvironment.removeProviderAndMiuSettings(builder.environment());
        builder.environment().putAll(llm.environment());
        builder.environment().put("MIU_DATA_DIR", dir.resolve("data").toString());
        builder.environment().put("MIU_MODEL", "anthropic:claude-test");
        return builder.start();
    }

    /** Reads serve's output until it says where it listens, keeping the banner; a daemon thread drains the rest. */
    private static String awaitUrl(Process process, StringBuilder seen) throws Exception {
        var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Pattern pattern = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)/");
        String line;
        while ((line = lines.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                for (int i = 0; i < 7 && (line = lines.readLine()) != null; i++) {
                    seen.append(line).append('\n'); // model, data, sessions, config, mcp, tools, access
                }
                Thread.ofPlatform().daemon().start(() -> lines.lines().forEach(l -> {}));
                return m.group(1);
            }
        }
        throw new AssertionError("serve exited (" + process.waitFor() + ") before listening:\n" + seen);
    }
}
