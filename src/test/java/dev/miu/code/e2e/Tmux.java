package dev.miu.code.e2e;

import dev.miu.testing.Prerequisites;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A real pseudo-terminal for end-to-end tests: a private tmux server (its own socket, no user config) running one
 * command in a pane of fixed size. Tests type with {@link #type}/{@link #keys} and read the screen with {@link #screen}.
 * Without tmux the test is skipped, and fails under CI ({@link Prerequisites}).
 */
final class Tmux implements AutoCloseable {

    private final Path binary;
    private final String socket;
    private Path script;

    private Tmux(Path binary, String socket) {
        this.binary = binary;
        this.socket = socket;
    }

    /** Starts {@code command} in {@code dir} with {@code env} added, in a {@code cols}×{@code rows} pane. */
    static Tmux start(List<String> command, Path dir, Map<String, String> env, int cols, int rows) throws IOException {
        Path binary = Prerequisites.executable("tmux", "apt-get install tmux");
        var tmux = new Tmux(binary, "miu-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Path script = Files.createTempFile("miu-tmux", ".sh");
        var body = new StringBuilder("#!/bin/bash\n");
        env.forEach((k, v) ->
                body.append("export ").append(k).append('=').append(quote(v)).append('\n'));
        body.append("export LANG=C.UTF-8 LC_ALL=C.UTF-8\n");
        body.append("cd ").append(quote(dir.toString())).append('\n');
        body.append(String.join(" ", command.stream().map(Tmux::quote).toList()))
                .append('\n');
        body.append("echo \"[exit $?]\"\nsleep 600\n"); // keep the pane so the test can read the last screen
        Files.writeString(script, body.toString(), StandardCharsets.UTF_8);
        script.toFile().setExecutable(true);
        tmux.script = script;
        tmux.run(
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "main",
                "-x",
                String.valueOf(cols),
                "-y",
                String.valueOf(rows),
                script.toString());
        return tmux;
    }

    /** Types text literally. */
    void type(String text) {
        run("send-keys", "-t", "main", "-l", text);
    }

    /** Sends tmux key names: Enter, Escape, BTab, C-n, C-c, PageUp … */
    void keys(String... names) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "main"));
        args.addAll(List.of(names));
        run(args.toArray(String[]::new));
    }

    /** The visible screen, one string per row. */
    String screen() {
        return run("capture-pane", "-p", "-t", "main");
    }

    /** Waits until the screen satisfies {@code condition}; fails with the last screen after {@code timeout}. */
    String await(String what, Predicate<String> condition, Duration timeout) {
        var last = new AtomicReference<>("");
        try {
            return Awaitility.await(what)
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> {
                                last.set(screen());
                                return last.get();
                            },
                            condition::test);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Timed out waiting for " + what + ". Screen:\n" + last.get());
        }
    }

    String awaitText(String text) {
        return await("'" + text + "'", s -> s.contains(text), Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        run("kill-server");
        try {
            Files.deleteIfExists(script);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }

    private String run(String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-L", socket));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("tmux did not answer: " + cmd);
            }
            if (p.exitValue() != 0 && !args[0].equals("kill-server")) {
                throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("Cannot run " + binary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
