package dev.miu.image;

import dev.miu.studio.Api;
import dev.miu.testing.ChildEnvironment;
import dev.miu.testing.TempDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime image's one jar ({@code target/miu-shaded.jar}, made by maven-shade-plugin in {@code package}) holds what
 * miu.jar and its libraries held on the class path: every service provider and every Helidon metadata file, and it
 * starts the studio on its own.
 */
@Timeout(120)
class ShadedJarIT {

    private static final Path TARGET = Path.of("target");
    private static final Path SHADED = TARGET.resolve("miu-shaded.jar");
    private static final String HELIDON_MANIFEST = "META-INF/helidon/manifest";

    @Test
    void holdsEveryServiceProviderAndHelidonMetadataFileOfTheClassPath() throws IOException {
        Map<String, Set<String>> services = new TreeMap<>();
        Map<String, Integer> jarsPerService = new HashMap<>();
        Set<String> helidonFiles = new HashSet<>();
        int helidonManifests = 0;
        for (Path jar : classPath()) {
            try (var in = new JarFile(jar.toFile())) {
                for (ZipEntry entry : in.stream().toList()) {
                    String name = entry.getName();
                    if (name.startsWith("META-INF/services/") && name.indexOf('/', 18) < 0 && !entry.isDirectory()) {
                        services.computeIfAbsent(name, n -> new HashSet<>()).addAll(lines(text(in, entry)));
                        jarsPerService.merge(name, 1, Integer::sum);
                    } else if (name.equals(HELIDON_MANIFEST)) {
                        helidonManifests++;
                        helidonFiles.addAll(lines(text(in, entry)));
                    }
                }
            }
        }
        assertTrue(helidonManifests > 1, "the class path has several Helidon manifests to merge");

        try (var shaded = new JarFile(SHADED.toFile())) {
            Attributes main = shaded.getManifest().getMainAttributes();
            assertEquals("dev.miu.cli.Launcher", main.getValue("Main-Class"));
            assertEquals("ALL-UNNAMED", main.getValue("Enable-Native-Access"));
            assertEquals("true", main.getValue("Multi-Release"));
            assertNull(main.getValue("Class-Path"), "everything is inside");

            // every provider whose class is in the jar (the model jar's langchain4j classes are left out on purpose)
            services.forEach((name, providers) -> {
                Set<String> kept = new HashSet<>(providers);
                kept.removeIf(provider -> shaded.getEntry(provider.replace('.', '/') + ".class") == null);
                ZipEntry entry = shaded.getEntry(name);
                assertEquals(kept, entry == null ? Set.of() : new HashSet<>(lines(text(shaded, entry))), name);
            });
            assertTrue(
                    jarsPerService.values().stream().anyMatch(jars -> jars > 1),
                    "some service file is in several jars, to be merged");

            String merged = text(shaded, shaded.getEntry(HELIDON_MANIFEST));
            assertEquals(
                    helidonManifests,
                    merged.lines().filter("#HELIDON MANIFEST#"::equals).count(),
                    "one header line per jar: Helidon's sign of a merged jar, to look its files up as resources");
            assertEquals(helidonFiles, new HashSet<>(lines(merged)));
            for (String file : helidonFiles) {
                assertNotNull(shaded.getEntry(file), file + " is listed and present");
            }
            assertNull(shaded.getEntry("module-info.class"));
        }
    }

    @Test
    void startsTheStudioAndServesTheUiFromItsResources() throws Exception {
        Path dir = TempDirs.create("shaded-jar");
        var builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        SHADED.toAbsolutePath().toString(),
                        "serve",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0")
                .directory(dir.toFile())
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true);
        ChildEnvironment.removeProviderAndMiuSettings(builder.environment());
        builder.environment().put("MIU_DATA_DIR", dir.resolve("data").toString());
        Process process = builder.start();
        try {
            Api api = new Api(URI.create(awaitUrl(process)));
            assertEquals(200, api.get("/api/v1/health").status());
            assertTrue(api.get("/").body().contains("/static/app.js"));
            Matcher webjar =
                    Pattern.compile("/webjars/[^\"]*\\.js").matcher(Files.readString(Path.of("static/index.html")));
            assertTrue(webjar.find());
            assertEquals(200, api.get(webjar.group()).status(), webjar.group());
            assertEquals("3.1.0", api.get("/openapi.json").json().getString("openapi"));
            Matcher swaggerUi = Pattern.compile("/webjars/[^\"]*\\.js")
                    .matcher(api.get("/docs").body());
            assertTrue(swaggerUi.find());
            assertEquals(200, api.get(swaggerUi.group()).status(), swaggerUi.group());
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** miu.jar and the libraries its manifest's Class-Path names, as {@code java -jar target/miu.jar} reads them. */
    private static List<Path> classPath() throws IOException {
        List<Path> jars = new ArrayList<>(List.of(TARGET.resolve("miu.jar")));
        try (var jar = new JarFile(jars.getFirst().toFile())) {
            for (String entry : jar.getManifest()
                    .getMainAttributes()
                    .getValue("Class-Path")
                    .trim()
                    .split("\\s+")) {
                jars.add(TARGET.resolve(entry));
            }
        }
        return jars;
    }

    private static String awaitUrl(Process process) throws IOException {
        var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Pattern url = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)/");
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = url.matcher(line);
            if (m.find()) {
                Thread.ofVirtual().start(() -> drain(out)); // keep the pipe from filling up
                return m.group(1);
            }
        }
        throw new AssertionError("serve exited without listening:\n" + seen);
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // discard
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** The non-blank, non-comment lines of a service or Helidon manifest file. */
    private static List<String> lines(String text) {
        return text.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    private static String text(JarFile jar, ZipEntry entry) {
        try (var in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
