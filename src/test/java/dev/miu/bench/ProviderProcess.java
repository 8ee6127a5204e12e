package dev.miu.bench;

import dev.miu.testing.ScriptedLlmServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CannedProvider} in a JVM of its own (same classpath). Used for the concurrent streams: 10,000 streams
 * need a socket each in the load generator and in the provider, and both in one process would pass this
 * machine's limit of 20,000 open files.
 */
final class ProviderProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private ProviderProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the provider answering {@code words}-word turns, one chunk per {@code delayMillis}; waits for its port. */
    static ProviderProcess start(String javaHome, int words, long delayMillis, Path log) throws IOException {
        var builder = new ProcessBuilder(List.of(
                        javaHome + "/bin/java",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CannedProvider.class.getName(),
                        String.valueOf(words),
                        String.valueOf(delayMillis)))
                .redirectError(log.toFile());
        Process process = builder.start();
        try {
            var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine(); // a timeout is not needed: a failed start closes the pipe
            if (line == null || !line.startsWith("port ")) {
                throw new IOException("the provider process did not start (see " + log + "): " + line);
            }
            return new ProviderProcess(
                    process, Integer.parseInt(line.substring(5).trim()));
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** Environment variables that point miu's Anthropic provider here. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ANTHROPIC_API_KEY", ScriptedLlmServer.API_KEY);
        env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + port);
        return env;
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // the provider stops when its standard input closes
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
