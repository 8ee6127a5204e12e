package dev.miu.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster ({@code initdb} + {@code pg_ctl} from Debian's {@code /usr/lib/postgresql/VERSION/bin})
 * in a temporary directory on a free port, stopped and deleted when the JVM exits. PostgreSQL refuses to run as root,
 * so under root it runs as the {@code postgres} user (through {@code runuser}) in a directory it owns. No JUnit here:
 * the benchmarks start one too ({@code bench/run.sh --only stores}); tests get it through {@link PostgresServer}.
 */
/** One started cluster: its directory, port and the binaries it was started with. */
public record PostgresCluster(Path dir, int port, Path bin, boolean asPostgresUser) {

    /** The superuser the cluster is made with; it logs in without a password (trust) on 127.0.0.1 only. */
    public static final String USER = "miu";

    static final String NOT_INSTALLED = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); install it"
            + " with `apt-get install postgresql` (.ci/run does)";

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A new empty database, by a unique name. */
    public String createDatabase() {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin("CREATE DATABASE " + name);
        return name;
    }

    public void dropDatabase(String name) {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void admin(String sql) {
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * CPU time (user + system, microseconds) the cluster's processes have used so far: the postmaster, its running
     * children (each connection's backend, the writers) and the children that ended. From /proc, on Linux; for the
     * benchmarks, which show what a turn costs the database beside what it costs miu.
     */
    public long cpuMicros() {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("data/postmaster.pid"))
                    .getFirst()
                    .strip());
            long ticks = 0;
            try (var all = Files.newDirectoryStream(
                    Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
                for (Path p : all) {
                    String[] f;
                    try {
                        String stat = Files.readString(p.resolve("stat"));
                        f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    } catch (IOException e) {
                        continue; // ended meanwhile
                    }
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (pid == postmaster) { // its own time and that of its children that ended
                        ticks += Long.parseLong(f[11])
                                + Long.parseLong(f[12])
                                + Long.parseLong(f[13])
                                + Long.parseLong(f[14]);
                    } else if (Long.parseLong(f[1]) == postmaster) {
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                }
            }
            return ticks * 10_000; // Linux ticks of 10 ms
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CPU time of the cluster in " + dir, e);
        }
    }

    public static PostgresCluster start() {
        Optional<Path> bin = binaries();
        if (bin.isEmpty()) {
            throw new IllegalStateException(NOT_INSTALLED);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("miu-pg-");
            if (root) {
                UserPrincipal postgres =
                        dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
            Path data = dir.resolve("data");
            var cluster = new PostgresCluster(dir, freePort(), bin.orElseThrow(), root);
            cluster.run(
                    "initdb",
                    "-D",
                    data.toString(),
                    "-U",
                    USER,
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync");
            cluster.startServer();
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "postgres-test-stop"));
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts (again) the server of this cluster's directory, on its port. */
    public void startServer() {
        Path data = dir.resolve("data");
        run(
                "pg_ctl",
                "-D",
                data.toString(),
                "-l",
                dir.resolve("server.log").toString(),
                "-w",
                "-t",
                "60",
                "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off" + " -c max_connections=300",
                "start");
    }

    /** Stops the server as a crash would (clients' connections break); {@link #startServer} brings it back. */
    public void stopServer() {
        run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
    }

    /** Stops the server at once and deletes its directory. */
    public void stop() {
        try {
            run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } catch (RuntimeException e) {
            // already stopped: nothing to do
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp dir is harmless
        }
    }

    private void run(String tool, String... args) {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .directory(dir.toFile())
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(tool + " failed: " + new String(out) + logTail());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(tool + " interrupted", e);
        }
    }

    private String logTail() {
        try {
            Path log = dir.resolve("server.log");
            return Files.exists(log) ? "\nserver.log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The newest {@code /usr/lib/postgresql/VERSION/bin} that has {@code initdb}. */
    static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(PostgresCluster::version));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int version(Path bin) {
        String name = bin.getParent().getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            return Integer.parseInt(name.replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
