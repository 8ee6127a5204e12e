package dev.miu.code.tools;

import dev.miu.core.InheritedEnvironment;
import dev.miu.core.tool.Description;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolResult;
import dev.miu.core.tool.Tools;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code Bash}: runs a command with {@code bash -c} in the workspace folder, stdin from /dev/null, stdout and
 * stderr merged, miu's environment without its secrets ({@link InheritedEnvironment#forShell}). On timeout or
 * interrupt the whole process tree is killed. Output beyond the cap is dropped.
 */
public final class BashTool {

    public static final String NAME = "Bash";
    static final long DEFAULT_TIMEOUT_MS = 120_000;
    static final long MAX_TIMEOUT_MS = 600_000;
    static final int MAX_OUTPUT_CHARS = 30_000;

    private BashTool() {}

    record Input(
            @Description("The shell command to run (bash -c) in the workspace folder")
            String command,

            @Description("Timeout in milliseconds (default 120000, at most 600000)")
            Optional<Long> timeout_ms) {}

    public static Tool tool() {
        return Tools.fromRecord(
                NAME,
                "Runs a shell command with bash in the workspace folder and returns its exit "
                        + "code and combined output (at most " + MAX_OUTPUT_CHARS
                        + " characters). Commands get no input; "
                        + "long-running ones are killed at the timeout.",
                Input.class,
                (Input in, ToolContext ctx) -> {
                    long timeout = in.timeout_ms().orElse(DEFAULT_TIMEOUT_MS);
                    if (timeout < 1 || timeout > MAX_TIMEOUT_MS) {
                        return ToolResult.error("timeout_ms must be between 1 and " + MAX_TIMEOUT_MS);
                    }
                    if (in.command().isBlank()) {
                        return ToolResult.error("command is empty");
                    }
                    try {
                        return run(in.command(), ctx.workingDir().toFile(), timeout);
                    } catch (IOException e) {
                        return ToolResult.error("Cannot run bash: " + e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // the agent sees the flag and ends the run as cancelled
                        return ToolResult.error("Interrupted by the user; the command and its children were killed");
                    }
                });
    }

    static ToolResult run(String command, File dir, long timeoutMs) throws IOException, InterruptedException {
        return run(command, dir, timeoutMs, System.getenv());
    }

    /** Runs {@code command} with {@code parentEnv} as the environment it inherits, secrets removed. */
    static ToolResult run(String command, File dir, long timeoutMs, Map<String, String> parentEnv)
            throws IOException, InterruptedException {
        var builder = new ProcessBuilder("bash", "-c", command)
                .directory(dir)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(parentEnv);
        InheritedEnvironment.forShell(env); // a command the model wrote must not read miu's keys
        Process process = builder.start();
        var output = new CappedOutput(MAX_OUTPUT_CHARS);
        // A platform thread: a virtual one blocked in a pipe read would hold its carrier for the whole command
        // (file I/O does not unmount), and enough of them starve every other virtual thread of the process.
        Thread reader =
                Thread.ofPlatform().daemon().name("bash-output").start(() -> output.drain(process.getInputStream()));
        boolean finished;
        try {
            finished = process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
        if (!finished) {
            killTree(process);
            reader.join(2000);
            return ToolResult.error("Command timed out after " + timeoutMs
                    + " ms; the process and its children were killed.\n" + output.text());
        }
        // background children may still hold the pipe open; don't wait for them forever
        reader.join(1000);
        int exit = process.exitValue();
        String text = output.text();
        String body = "Exit code: " + exit + (text.isEmpty() ? "\n(no output)" : "\n" + text);
        return exit == 0 ? ToolResult.ok(body) : ToolResult.error(body);
    }

    /**
     * Kills the shell and every descendant. The tree is listed first (children are re-parented once the shell
     * dies), and the shell goes first so it cannot run further commands as its children die.
     */
    static void killTree(Process process) {
        var tree = process.descendants().toList();
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps the first {@code max} characters of a stream and counts the rest. */
    private static final class CappedOutput {
        private final int max;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ReentrantLock lock = new ReentrantLock();
        private long dropped;

        CappedOutput(int max) {
            this.max = max;
        }

        void drain(InputStream in) {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    lock.lock();
                    try {
                        // bytes ≥ chars for UTF-8, so capping bytes at 4×max keeps at least max characters
                        int room = Math.max(0, max * 4 - bytes.size());
                        bytes.write(buf, 0, Math.min(n, room));
                        dropped += Math.max(0, n - room);
                    } finally {
                        lock.unlock();
                    }
                }
            } catch (IOException e) {
                // the process was killed or closed its output; what we have is the output
            }
        }

        String text() {
            lock.lock();
            try {
                String s = bytes.toString(StandardCharsets.UTF_8);
                if (s.length() > max || dropped > 0) {
                    return s.substring(0, Math.min(max, s.length())) + "\n… (output truncated at " + max
                            + " characters)";
                }
                return s;
            } finally {
                lock.unlock();
            }
        }
    }
}
