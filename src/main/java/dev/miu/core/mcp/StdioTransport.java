package dev.miu.core.mcp;

import dev.miu.core.InheritedEnvironment;
import dev.miu.core.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * MCP over a child process: one JSON-RPC message per line on its stdin and stdout. The child gets only
 * {@link InheritedEnvironment#MCP_SERVER_NAMES} of miu's environment plus the configured variables. Its stderr goes
 * to the log (DEBUG), and the last lines of it are kept to explain a failed start. Closing follows the MCP lifecycle:
 * close stdin, wait, then SIGTERM, wait, then SIGKILL, children of the process included.
 *
 * <p>Every blocking pipe operation runs on a platform thread of its own: stdout and stderr are read by
 * {@code mcp-NAME-stdout} and {@code mcp-NAME-stderr}, and stdin is written by {@code mcp-NAME-stdin}, which
 * {@link #send} hands its lines to. A virtual thread blocked in a pipe read holds its carrier (file I/O does
 * not unmount); the scheduler makes up for that only for a while, so an idle server once left {@code miu serve}
 * without carriers: HTTP stopped answering after about a minute and SIGTERM could not stop it (issue 21).
 */
public final class StdioTransport implements McpTransport {

    private static final System.Logger LOG = System.getLogger(StdioTransport.class.getName());
    private static final int STDERR_LINES_KEPT = 20;
    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path workingDir;
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final ReentrantLock stderrLock = new ReentrantLock();
    private volatile Process process;
    private volatile Thread stderrPump;
    private volatile Thread stdoutPump;
    private volatile boolean closing;
    private volatile OutputStream stdin;
    /** The stdin writer: one platform thread, so writes keep their order and never block a carrier. */
    private volatile ExecutorService writer;

    public StdioTransport(String name, McpServerConfig.Stdio config, Path workingDir) {
        this.name = name;
        List<String> cmd = new ArrayList<>();
        cmd.add(config.command());
        cmd.addAll(config.args());
        this.command = List.copyOf(cmd);
        this.env = config.env();
        this.workingDir = workingDir;
    }

    public StdioTransport(String name, McpServerConfig.Stdio config) {
        this(name, config, null);
    }

    @Override
    public void start(Listener listener) {
        var builder = new ProcessBuilder(command);
        Map<String, String> childEnv = builder.environment();
        InheritedEnvironment.forMcpServer(childEnv);
        childEnv.putAll(env);
        if (workingDir != null) {
            builder.directory(workingDir.toFile());
        }
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new McpException(
                    "Cannot start MCP server '" + name + "' (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
        stdin = process.getOutputStream();
        writer = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("mcp-" + name + "-stdin").factory());
        stderrPump =
                Thread.ofPlatform().daemon().name("mcp-" + name + "-stderr").start(this::pumpStderr);
        stdoutPump =
                Thread.ofPlatform().daemon().name("mcp-" + name + "-stdout").start(() -> pumpStdout(listener));
    }

    private void pumpStdout(Listener listener) {
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonRpcMessage message;
                try {
                    message = JsonRpcMessage.fromJson(Json.parseObject(line));
                } catch (IllegalArgumentException | McpException e) {
                    // The spec forbids anything but MCP messages on stdout; tolerate and report a noisy server.
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "MCP server ''{0}'' wrote a line that is not an MCP message: {1}",
                            name,
                            abbreviate(line));
                    continue;
                }
                listener.onMessage(message);
            }
        } catch (IOException e) {
            if (!closing) {
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "MCP server ''{0}'': reading stdout failed: {1}",
                        name,
                        e.getMessage());
            }
        }
        listener.onClosed(new McpException(closing ? "MCP server '" + name + "' was closed" : exitReason()));
    }

    private String exitReason() {
        Process p = process;
        String status;
        try {
            status = p.waitFor(2, TimeUnit.SECONDS) ? "exited with code " + p.exitValue() : "closed its stdout";
            Thread pump = stderrPump;
            if (pump != null) {
                pump.join(1000); // so the tail below holds its last words
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = "closed its stdout";
        }
        String tail = stderrTail();
        return "MCP server '" + name + "' " + status + (tail.isEmpty() ? "" : "; its last stderr lines:\n" + tail);
    }

    private void pumpStderr() {
        try (var reader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                LOG.log(System.Logger.Level.DEBUG, "[mcp {0}] {1}", name, line);
                stderrLock.lock();
                try {
                    if (stderrTail.size() == STDERR_LINES_KEPT) {
                        stderrTail.removeFirst();
                    }
                    stderrTail.addLast(line);
                } finally {
                    stderrLock.unlock();
                }
            }
        } catch (IOException e) {
            // the process is gone; its exit is reported by the stdout reader
        }
    }

    /** The last lines the server wrote to stderr, for error messages. */
    public String stderrTail() {
        stderrLock.lock();
        try {
            return String.join("\n", stderrTail);
        } finally {
            stderrLock.unlock();
        }
    }

    /**
     * Queues the line for the stdin writer and waits until it is written. An interrupt stops the wait, not the
     * write (a half-written line would break the stream); the caller sees its interrupt flag set.
     */
    @Override
    public void send(JsonRpcMessage message) {
        byte[] line = (Json.write(message.toJson()) + "\n").getBytes(StandardCharsets.UTF_8);
        ExecutorService out = writer;
        if (out == null) {
            throw new McpException("MCP server '" + name + "' is not started");
        }
        Future<?> written;
        try {
            written = out.submit(() -> {
                stdin.write(line);
                stdin.flush();
                return null;
            });
        } catch (RejectedExecutionException e) {
            throw new McpException("MCP server '" + name + "' was closed");
        }
        try {
            written.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (!closing && !process.isAlive() || !closing && waitForExit()) {
                throw new McpException(exitReason(), cause);
            }
            throw new McpException("Cannot write to MCP server '" + name + "': " + cause.getMessage(), cause);
        }
    }

    private boolean waitForExit() {
        try {
            return process.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The child's process id, or -1 before start. */
    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    @Override
    public String describe() {
        return "stdio: " + String.join(" ", command);
    }

    @Override
    public void close(Duration grace) {
        closing = true;
        Process p = process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        // Closed by the writer after the lines queued before it; a writer stuck on a full pipe is freed below,
        // when the process is stopped.
        ExecutorService out = writer;
        try {
            out.execute(() -> {
                try {
                    stdin.close();
                } catch (IOException e) {
                    // already closed
                }
            });
        } catch (RejectedExecutionException e) {
            // closed before
        }
        out.shutdown();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                children.forEach(ProcessHandle::destroy);
                p.destroy();
                if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    children.forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        // A launcher (npx, a shell) may exit and leave its server child behind.
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        // Let the stdout reader see the end and report the close, so close() returns with the connection closed.
        Thread pump = stdoutPump;
        if (pump != null && pump != Thread.currentThread()) {
            try {
                pump.join(grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
