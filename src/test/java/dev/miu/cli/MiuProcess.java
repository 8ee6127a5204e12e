package dev.miu.cli;

import dev.miu.testing.ChildEnvironment;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code miu ARGS} in a process of its own, as a user starts it: no logging configuration of the test JVM's
 * (surefire names one), so what it prints is what a user sees.
 */
final class MiuProcess {

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

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
