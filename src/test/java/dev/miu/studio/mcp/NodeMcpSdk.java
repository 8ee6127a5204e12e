package dev.miu.studio.mcp;

import dev.miu.testing.ChildEnvironment;
import dev.miu.testing.Prerequisites;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code sdk-client.cjs}: the official MCP TypeScript SDK client, installed globally by {@code .ci/run}
 * ({@code npm install -g @modelcontextprotocol/sdk@1.32.2}) and found through {@code npm root -g}.
 */
final class NodeMcpSdk {

    static final String INSTALL = "npm install -g @modelcontextprotocol/sdk@1.32.2";

    record Result(int exit, String out, String err) {}

    private NodeMcpSdk() {}

    /** Runs the script in {@code dir} with {@code args} and {@code env} added; fails the test if it does not end. */
    static Result run(Path dir, Map<String, String> env, String... args) throws Exception {
        Path node = Prerequisites.executable("node", "apt-get install nodejs npm");
        Path npm = Prerequisites.executable("npm", "apt-get install npm");
        Path root =
                Path.of(output(new ProcessBuilder(npm.toString(), "root", "-g")).strip());
        Prerequisites.require(
                Files.isDirectory(root.resolve("@modelcontextprotocol/sdk")),
                "The MCP TypeScript SDK is not installed in " + root + "; install it with `" + INSTALL
                        + "` (.ci/run does)");
        List<String> command = new ArrayList<>(List.of(node.toString(), script().toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectInput(new File("/dev/null"));
        ChildEnvironment.removeProviderAndMiuSettings(builder.environment());
        builder.environment().put("NODE_PATH", root.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String out = read(process.getInputStream());
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the SDK client did not finish; stderr: " + err.getNow(""));
        }
        return new Result(process.exitValue(), out, err.get(10, TimeUnit.SECONDS));
    }

    private static Path script() throws URISyntaxException {
        return Path.of(NodeMcpSdk.class.getResource("/mcp/sdk-client.cjs").toURI());
    }

    private static String output(ProcessBuilder builder) throws IOException, InterruptedException {
        Process p = builder.redirectErrorStream(true).start();
        String out = read(p.getInputStream());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
