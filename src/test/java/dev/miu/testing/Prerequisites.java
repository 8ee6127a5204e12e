package dev.miu.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a test needs installed on the machine (Chromium, chromedriver, tmux, PostgreSQL, the npm MCP servers, …).
 * When it is missing the test is reported as skipped with what to install; under {@code CI=true} it fails instead,
 * so a CI run cannot pass without having run the real thing.
 */
public final class Prerequisites {

    private Prerequisites() {}

    /** Skips the test (fails it under CI) unless {@code present}; {@code missing} says what is missing and how to install it. */
    public static void require(boolean present, String missing) {
        require(present, missing, System.getenv());
    }

    /**
     * The absolute path of executable {@code name}: an absolute path as given, or the first match on the PATH.
     * Skips the test (fails it under CI) if there is none, saying {@code install}.
     */
    public static Path executable(String name, String install) {
        Optional<Path> found = find(name, System.getenv("PATH"));
        require(
                found.isPresent(),
                name + " is not installed" + (Path.of(name).isAbsolute() ? "" : " (not on the PATH)")
                        + "; install it with `" + install + "` (.ci/run does)");
        return found.orElseThrow();
    }

    /** Whether a test runs under CI, where a missing prerequisite is a failure. */
    public static boolean onCi(Map<String, String> environment) {
        return "true".equalsIgnoreCase(environment.getOrDefault("CI", ""));
    }

    static void require(boolean present, String missing, Map<String, String> environment) {
        if (present) {
            return;
        }
        if (onCi(environment)) {
            throw new AssertionError(missing + " (CI=true: a missing prerequisite fails the test)");
        }
        Assumptions.abort(missing);
    }

    static Optional<Path> find(String name, String path) {
        Path given = Path.of(name);
        if (given.isAbsolute()) {
            return Files.isExecutable(given) ? Optional.of(given) : Optional.empty();
        }
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
