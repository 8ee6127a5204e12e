package dev.miu.image;

import dev.miu.core.json.Json;
import dev.miu.testing.TempDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/MergeJars.java}, which makes the runtime image's single jar, run as the image build runs it (a source
 * file on this JDK) over small jars that share what real ones share.
 */
@Timeout(120)
class MergeJarsTest {

    private static final byte[] CLASS_A = {(byte) 0xCA, (byte) 0xFE, 1};
    private static final byte[] CLASS_A_SHADOWED = {(byte) 0xCA, (byte) 0xFE, 2};

    @Test
    void mergesAsTheClassPathReadsAndKeepsWhatSeveralJarsShare() throws Exception {
        Path dir = TempDirs.create("merge-jars");
        jar(dir.resolve("main.jar"), Map.of("Main-Class", "p.Main", "Class-Path", "libs/a.jar libs/b.jar",
                        "Enable-Native-Access", "ALL-UNNAMED"),
                entries("p/Main.class", "main",
                        "META-INF/services/x.Provider", "# main\nm.Impl\n",
                        "META-INF/LICENSE", "main licence"));
        jar(dir.resolve("libs/a.jar"), Map.of(),
                entries("p/A.class", CLASS_A,
                        "p/same.txt", "same",
                        "module-info.class", "module a",
                        "META-INF/versions/11/p/V.class", "not multi-release: never read",
                        "META-INF/services/x.Provider", "a.Impl",
                        "META-INF/helidon/manifest", "#HELIDON MANIFEST#\nMETA-INF/helidon/a/service-registry.json\n",
                        "META-INF/helidon/a/service-registry.json", "[]",
                        "META-INF/helidon/config-metadata.json", "[{\"module\":\"a\"}]\n",
                        "META-INF/LICENSE", "a licence",
                        "META-INF/A.SF", "signature"));
        jar(dir.resolve("libs/b.jar"), Map.of("Multi-Release", "true"),
                entries("p/A.class", CLASS_A_SHADOWED,
                        "p/same.txt", "same",
                        "META-INF/versions/9/q/V.class", "versioned",
                        "META-INF/versions/9/module-info.class", "module b",
                        "META-INF/helidon/manifest", "#HELIDON MANIFEST#\nMETA-INF/helidon/b/feature-registry.json\n",
                        "META-INF/helidon/b/feature-registry.json", "[]",
                        "META-INF/helidon/config-metadata.json", " [ {\"module\":\"b\"} ] ",
                        "META-INF/NOTICE.txt", "b notice"));

        Path out = dir.resolve("image/app/merged.jar");
        Run run = merge(dir.resolve("main.jar"), out);
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("3 jars"), run.output());
        assertTrue(run.output().contains("p/A.class (a.jar, b.jar)"), "a shadowed class is reported: " + run.output());

        try (var jar = new JarFile(out.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("p.Main", main.getValue("Main-Class"));
            assertEquals("ALL-UNNAMED", main.getValue("Enable-Native-Access"));
            assertEquals("true", main.getValue("Multi-Release"));
            assertNull(main.getValue("Class-Path"), "everything is inside");

            assertEquals("# main\nm.Impl\na.Impl\n", text(jar, "META-INF/services/x.Provider"));
            String helidon = text(jar, "META-INF/helidon/manifest");
            assertEquals(2, helidon.lines().filter("#HELIDON MANIFEST#"::equals).count(),
                    "one header per jar: Helidon's sign of a merged jar");
            assertTrue(helidon.contains("META-INF/helidon/a/service-registry.json"));
            assertTrue(helidon.contains("META-INF/helidon/b/feature-registry.json"));
            var metadata = Json.parse(text(jar, "META-INF/helidon/config-metadata.json")).asJsonArray();
            assertEquals(List.of("a", "b"), metadata.stream().map(v -> v.asJsonObject().getString("module")).toList());

            assertEquals("main licence", text(jar, "META-INF/licenses/main/LICENSE"));
            assertEquals("a licence", text(jar, "META-INF/licenses/a/LICENSE"));
            assertEquals("b notice", text(jar, "META-INF/licenses/b/NOTICE.txt"));

            assertArrayEquals(CLASS_A, jar.getInputStream(jar.getEntry("p/A.class")).readAllBytes(),
                    "the first jar on the class path wins");
            assertEquals("same", text(jar, "p/same.txt"));
            assertEquals("versioned", text(jar, "META-INF/versions/9/q/V.class"));
            for (String gone : List.of("module-info.class", "META-INF/versions/9/module-info.class",
                    "META-INF/versions/11/p/V.class", "META-INF/A.SF", "META-INF/LICENSE")) {
                assertNull(jar.getEntry(gone), gone);
            }
        }
    }

    @Test
    void twoDifferentFilesUnderOneNameFailTheMerge() throws Exception {
        Path dir = TempDirs.create("merge-jars");
        jar(dir.resolve("main.jar"), Map.of("Class-Path", "other.jar"), entries("app.properties", "mine=1"));
        jar(dir.resolve("other.jar"), Map.of(), entries("app.properties", "theirs=2"));
        Path out = dir.resolve("merged.jar");
        Run run = merge(dir.resolve("main.jar"), out);
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("app.properties differs in main.jar and other.jar"), run.output());
        assertTrue(Files.notExists(out), "no half-merged jar");
    }

    private record Run(int exit, String output) {
    }

    private static Run merge(Path main, Path out) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "bin/MergeJars.java", main.toString(), out.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Run(process.exitValue(), output);
    }

    private static Map<String, byte[]> entries(Object... nameThenContent) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < nameThenContent.length; i += 2) {
            Object content = nameThenContent[i + 1];
            entries.put((String) nameThenContent[i], content instanceof byte[] bytes ? bytes
                    : ((String) content).getBytes(StandardCharsets.UTF_8));
        }
        return entries;
    }

    private static void jar(Path path, Map<String, String> attributes, Map<String, byte[]> entries) throws IOException {
        var manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.forEach((name, value) -> manifest.getMainAttributes().putValue(name, value));
        Files.createDirectories(path.getParent());
        try (var jar = new JarOutputStream(Files.newOutputStream(path), manifest)) {
            for (var entry : entries.entrySet()) {
                jar.putNextEntry(new ZipEntry(entry.getKey()));
                jar.write(entry.getValue());
                jar.closeEntry();
            }
        }
    }

    private static String text(JarFile jar, String name) throws IOException {
        ZipEntry entry = jar.getEntry(name);
        assertTrue(entry != null, name + " is in the merged jar");
        return new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
    }
}
