package dev.miu.cli;

import dev.miu.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar's entry point under an older {@code java}: the machine's Java 17 (Debian's {@code openjdk-17}, which
 * .ci/run installs) runs {@link Launcher} from the compiled classes, as {@code java -jar target/miu.jar} does, and
 * must get a clear message and exit 1, not {@code UnsupportedClassVersionError}.
 */
@Timeout(60)
class LauncherTest {

    @Test
    void theJarsEntryPointIsTheLauncher() throws IOException {
        Matcher main = Pattern.compile("<mainClass>([^<]+)</mainClass>").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(main.find());
        assertEquals(Launcher.class.getName(), main.group(1), "the pom's mainClass becomes the jar's Main-Class");
    }

    @Test
    void java17SaysWhatToInstallInsteadOfAClassVersionError() throws Exception {
        Path java17 = java17();
        Result r = run(java17.toString(), "-cp", classesDir(), Launcher.class.getName(), "serve");
        assertEquals(1, r.exit(), r.output());
        assertFalse(r.output().contains("UnsupportedClassVersionError"), r.output());
        assertFalse(r.output().contains("Exception"), r.output());
        assertTrue(
                r.output().startsWith("miu: needs Java 21 or newer (25 recommended), but this is Java 17"), r.output());
        assertTrue(r.output().contains("JAVA_HOME") || r.output().contains("/bin/java "), r.output());
        assertTrue(r.output().contains("source bin/java-home.sh"), r.output());
    }

    @Test
    void onJava21OrNewerItRunsMiu() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Result r = run(java, "-cp", System.getProperty("java.class.path"), Launcher.class.getName(), "--version");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().startsWith("miu "), r.output());
    }

    @Test
    void readsEveryFormOfTheSpecificationVersion() {
        assertEquals(8, Launcher.major("1.8"));
        assertEquals(17, Launcher.major("17"));
        assertEquals(25, Launcher.major("25"));
        assertEquals(0, Launcher.major("x"));
        assertEquals(0, Launcher.major(null));
    }

    @Test
    void withNoJdkInstalledItSaysWhatToInstall() {
        String m = Launcher.message(11, "/opt/old", "/home/u/miu.jar", List.of());
        assertTrue(m.contains("this is Java 11 (/opt/old)"), m);
        assertTrue(m.contains("install a JDK 21+"), m);
        assertTrue(m.contains("\"$JAVA_HOME/bin/java\" -jar /home/u/miu.jar ..."), m);
    }

    /** The folder Launcher.class was compiled to (target/classes). */
    private static String classesDir() throws Exception {
        return Path.of(Launcher.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
    }

    /** A Java 17 on this machine; a test without one is skipped locally and fails under CI. */
    private static Path java17() throws IOException {
        Optional<Path> found = Optional.empty();
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                found = homes.filter(h -> h.getFileName().toString().contains("17"))
                        .map(h -> h.resolve("bin").resolve("java"))
                        .filter(Files::isExecutable)
                        .sorted()
                        .findFirst();
            }
        }
        Prerequisites.require(
                found.isPresent(),
                "no Java 17 under /usr/lib/jvm; install one with"
                        + " `apt-get install openjdk-17-jre-headless` (.ci/run does)");
        return found.get();
    }

    private record Result(int exit, String output) {}

    private static Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(new File("/dev/null"))
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Result(p.exitValue(), output);
    }
}
