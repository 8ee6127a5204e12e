package dev.miu.bench;

import dev.miu.testing.ChildEnvironment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code miu serve} in its own process, on a free port of 127.0.0.1, with its data in a fresh temporary directory
 * and its providers pointed at {@code providerEnv}. Its resident memory is read from {@code /proc/PID/status}.
 */
final class MiuProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final long startedNanos;
    private final Path dataDir;
    /** Counted down when serve prints where it listens, or its output ends. */
    private final CountDownLatch listening = new CountDownLatch(1);

    /** The line of its output that says it listens, and the path that answers 200 when it is healthy. */
    private final String readyLine;

    private final String healthPath;

    private MiuProcess(
            Process process, int port, long startedNanos, Path dataDir, Path log, String readyLine, String healthPath) {
        this.process = process;
        this.port = port;
        this.startedNanos = startedNanos;
        this.dataDir = dataDir;
        this.readyLine = readyLine;
        this.healthPath = healthPath;
        Thread.ofPlatform().daemon().name("miu-bench-output").start(() -> copyOutput(log));
    }

    /** serve's output into {@code log}, line by line, noting the line that says where it listens. */
    private void copyOutput(Path log) {
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                var out = Files.newBufferedWriter(log)) {
            String line;
            while ((line = lines.readLine()) != null) {
                out.write(line);
                out.newLine();
                out.flush();
                if (line.contains(readyLine)) {
                    listening.countDown();
                }
            }
        } catch (IOException e) {
            // the process is gone; awaitHealthy reports it
        } finally {
            listening.countDown();
        }
    }

    /** Starts {@code command... serve --port P} with extra JVM options in {@code JAVA_TOOL_OPTIONS}-free form. */
    static MiuProcess start(List<String> command, Map<String, String> providerEnv, Path log) throws IOException {
        return start(command, providerEnv, Map.of(), log);
    }

    /** The same, with {@code env} (miu settings such as {@code MIU_SESSIONS_SYNC}) on top of the provider's. */
    static MiuProcess start(List<String> command, Map<String, String> providerEnv, Map<String, String> env, Path log)
            throws IOException {
        int port = freePort();
        String parent = System.getenv("MIU_BENCH_DATA_PARENT"); // e.g. /dev/shm, to see what fsync costs
        Path data = parent == null || parent.isBlank()
                ? Files.createTempDirectory("miu-bench-data")
                : Files.createTempDirectory(Path.of(parent), "miu-bench-data");
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("serve", "--host", "127.0.0.1", "--port", String.valueOf(port)));
        var builder = new ProcessBuilder(full).redirectErrorStream(true);
        ChildEnvironment.removeProviderAndMiuSettings(builder.environment());
        builder.environment().putAll(providerEnv);
        builder.environment().put("MIU_DATA_DIR", data.toString());
        builder.environment().put("MIU_MODEL", "anthropic:bench-model");
        // 10,000 streams are 10,000 connections: more than the default limit (half the free descriptors) allows
        builder.environment().put("MIU_MAX_CONNECTIONS", "12000");
        builder.environment().putAll(env);
        long started = System.nanoTime();
        return new MiuProcess(builder.start(), port, started, data, log, "listening on http://", "/api/v1/health");
    }

    /**
     * Another framework's server beside miu's, for comparison (a peer of {@code ../shared/peers}): {@code command}
     * with {@code port} in it already, {@code env} on top of the provider's, healthy once it prints
     * {@code readyLine} and {@code healthPath} answers 200.
     */
    static MiuProcess peer(
            List<String> command,
            int port,
            Map<String, String> providerEnv,
            Path log,
            String readyLine,
            String healthPath)
            throws IOException {
        Path data = Files.createTempDirectory("miu-bench-peer");
        var builder = new ProcessBuilder(command).directory(data.toFile()).redirectErrorStream(true);
        ChildEnvironment.removeProviderAndMiuSettings(builder.environment());
        builder.environment().keySet().removeIf(k -> k.startsWith("SPRING_"));
        builder.environment().putAll(providerEnv);
        long started = System.nanoTime();
        return new MiuProcess(builder.start(), port, started, data, log, readyLine, healthPath);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Polls {@code GET /api/v1/health} until it answers 200; returns the nanoseconds since the process started. */
    long awaitHealthy(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        // Wait, without using a core, until serve says where it listens; only then poll. Polling a closed port
        // every 2 ms from this JVM took CPU from the starting server on the two shared cores.
        try {
            listening.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "miu serve exited with " + process.exitValue() + " before it was healthy");
            }
            if (healthOk()) {
                return System.nanoTime() - startedNanos;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("miu serve was not healthy within " + timeoutMillis + " ms");
    }

    private boolean healthOk() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + healthPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * CPU time the server has used so far (user + system), in microseconds, from /proc (Linux ticks of 10 ms): a
     * figure a busy machine does not inflate the way it stretches wall time.
     */
    long cpuMicros() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CPU time of " + process.pid(), e);
        }
    }

    /**
     * CPU time (user + system) of the JIT compiler's threads alive now, from /proc: a server still compiling its
     * hot paths spends much of its CPU there, which says nothing about what a turn costs once it is compiled.
     */
    long jitCpuMicros() {
        long total = 0;
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/" + process.pid() + "/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the threads of " + process.pid(), e);
        }
        return total;
    }

    /** Resident set size in KiB, from /proc. */
    long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the RSS of " + process.pid(), e);
        }
        throw new IllegalStateException("no VmRSS for " + process.pid());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
