package dev.miu.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary directories for fixtures that outlive one test (JUnit's {@code @TempDir} covers the rest), removed with
 * everything in them when the test JVM exits. {@code File.deleteOnExit} cannot do that: it skips a directory that is
 * not empty, so each suite run used to leave dozens of session stores and browser profiles in the temp directory.
 */
public final class TempDirs {

    private static final List<Path> CREATED = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TempDirs::deleteAll, "temp-dirs-cleanup"));
    }

    private TempDirs() {}

    /** A new empty directory named {@code prefix…} in the system temp directory, deleted at exit. */
    public static Path create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            synchronized (CREATED) {
                CREATED.add(dir);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteAll() {
        synchronized (CREATED) {
            CREATED.forEach(TempDirs::deleteTree);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // a file still held open (a server being killed at exit) stays; the rest goes
                }
            });
        } catch (IOException ignored) {
            // already gone
        }
    }
}
