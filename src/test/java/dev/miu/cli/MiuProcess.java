package dev.miu.cli;

import dev.miu.testing.ChildEnvironment;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code miu ARGS} in a process of its own, as a user starts it: no logging configuration of the test JVM's
 * (surefire names one), so what it prints is what a user sees.
 */
public final class MiuProcess {

    record Result(int exit, String out, String err) {}

    private MiuProcess() {}

    /** Runs miu in {@code dir} with {@code env} added to an environment cleared of provider and miu settings. */
    static Result run(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectInput(new File("/dev/null"));
        ChildEnvironment.removeProviderAndMiuSettings(builder.environment());
        builder.environment().put("MIU_DATA_DIR", dir.resolve("data").toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String out = read(process.getInputStream());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "miu did not finish");
        return new Result(process.exitValue(), out, err.get(10, TimeUnit.SECONDS));
    }

    /**
     * {@code miu serve} in {@code dir} (so its app.yaml is read) on any free port, sessions under dir/data,
     * {@code env} added as for {@link #run}; its output (stdout and stderr) is read with {@link #awaitUrl}.
     */
    public static Process serve(Path dir, Map<String, String> env) throws IOException {
        return serve(dir, env, 0);
    }

    /** As {@link #serve(Path, Map)} on {@code port} (0: any free one), e.g. to restart a server where it listened. */
    public static Process serve(Path dir, Map<String, String> env, int port) throws IOException {
        var builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "serve",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        String.valueOf(port))
                .redirectErrorStream(true)
                .directory(dir.toFile());
        ChildEnvironment.removeProviderAndMiuSettings(builder.environment());
        builder.environment().put("MIU_DATA_DIR", dir.resolve("data").toString());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Reads serve's output until it says where it listens; a daemon thread drains the rest. */
    public static String awaitUrl(Process process) throws Exception {
        return awaitUrl(process, new StringBuilder());
    }

    /**
     * As {@link #awaitUrl(Process)}, keeping in {@code seen} what serve printed up to the URL and the rest of its
     * description, to its {@code access:} line.
     */
    static String awaitUrl(Process process, StringBuilder seen) throws Exception {
        var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Pattern pattern = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)/");
        String line;
        while ((line = lines.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                while ((line = lines.readLine()) != null) {
                    seen.append(line).append('\n');
                    if (line.startsWith("  access:")) {
                        break;
                    }
                }
                Thread.ofPlatform().daemon().start(() -> lines.lines().forEach(l -> {}));
                return m.group(1);
            }
        }
        throw new AssertionError("serve exited (" + process.waitFor() + ") before listening:\n" + seen);
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
