import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * Merges miu.jar and the jars its manifest's Class-Path names into one jar, for the runtime image
 * (bin/build-image.sh runs it as a source file: {@code java bin/MergeJars.java target/miu.jar OUT.jar}).
 * <p>
 * Why: the JVM does per-jar work in the interpreter while it starts (the AOT cache's classes need each jar's URL,
 * manifest and protection domain), and every class-path-wide resource lookup (Helidon and the JDK make about twenty
 * before the server answers) opens and searches each jar. With 70 jars that was about 40 ms of a 280 ms start.
 * <p>
 * The merged jar behaves as the class path did: for a name in several jars the first in class-path order wins, as
 * the class loader's lookup did, except for what is read with {@code getResources} and therefore merged:
 * <ul>
 *   <li>{@code META-INF/services/*}: the provider lists are concatenated;</li>
 *   <li>{@code META-INF/helidon/manifest}: Helidon's lists of its metadata files are concatenated, each keeping its
 *       header line, which is how Helidon recognises a merged jar and keeps using resource lookups for them;</li>
 *   <li>{@code META-INF/helidon/config-metadata.json}: the JSON arrays are joined;</li>
 *   <li>licence and notice files go to {@code META-INF/licenses/JAR-NAME/} so every library keeps its own.</li>
 * </ul>
 * The jars' own manifests are not kept, so {@code Package.getImplementationVersion()} and the like answer null: of
 * these libraries only Lucene reads it, in {@code Version.getPackageImplementationVersion()}, which miu does not call.
 * Keeping them as per-package sections of the merged manifest (54 KB) made {@code serve} start about 40 ms later, as
 * the JVM parses that manifest and looks each package up in it in the interpreter. Signature files
 * and {@code module-info.class} files (ignored on the class path) are left out; versioned entries
 * ({@code META-INF/versions/N/}) are kept from multi-release jars only. Two different files under one name that
 * no rule above covers fail the merge: a class-path lookup of all of them would have found both.
 */
public final class MergeJars {

    private record Source(String jar, byte[] data) {
    }

    private final Map<String, Source> files = new LinkedHashMap<>();
    private final Map<String, List<String>> services = new TreeMap<>();
    private final List<String> helidonManifests = new ArrayList<>();
    private final List<String> configMetadata = new ArrayList<>();
    private final List<String> shadowedClasses = new ArrayList<>();
    private boolean multiRelease;

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java MergeJars.java MAIN.jar OUT.jar");
            System.exit(2);
        }
        Path main = Path.of(args[0]);
        Path out = Path.of(args[1]);
        try {
            var merger = new MergeJars();
            List<Path> jars = merger.classPath(main);
            for (Path jar : jars) {
                merger.add(jar);
            }
            merger.write(main, out);
            System.out.println("MergeJars: " + jars.size() + " jars, " + merger.files.size() + " files -> " + out
                    + (merger.shadowedClasses.isEmpty() ? "" : " (" + merger.shadowedClasses.size()
                    + " classes also in a later jar, first kept as on the class path: " + merger.shadowedClasses + ")"));
        } catch (IllegalStateException e) {
            System.err.println("MergeJars: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The main jar, then its Class-Path entries in order (relative to its directory, as the JVM reads them). */
    private List<Path> classPath(Path main) throws IOException {
        List<Path> jars = new ArrayList<>(List.of(main));
        try (var jar = new JarFile(main.toFile())) {
            String classPath = jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (classPath != null) {
                for (String entry : classPath.trim().split("\\s+")) {
                    jars.add(main.toAbsolutePath().getParent().resolve(entry));
                }
            }
        }
        return jars;
    }

    private void add(Path path) throws IOException {
        String jarName = path.getFileName().toString();
        try (var jar = new JarFile(path.toFile())) {
            Manifest manifest = jar.getManifest();
            Attributes main = manifest == null ? new Attributes() : manifest.getMainAttributes();
            boolean jarIsMultiRelease = "true".equalsIgnoreCase(main.getValue(Attributes.Name.MULTI_RELEASE));
            for (JarEntry entry : jar.stream().toList()) {
                String name = entry.getName();
                if (entry.isDirectory() || name.equals(JarFile.MANIFEST_NAME) || isSignature(name)
                        || name.equals("module-info.class") || name.endsWith("/module-info.class")) {
                    continue;
                }
                if (name.startsWith("META-INF/versions/")) {
                    if (!jarIsMultiRelease) {
                        continue; // not read on the class path either
                    }
                    multiRelease = true;
                }
                byte[] data = jar.getInputStream(entry).readAllBytes();
                if (name.startsWith("META-INF/services/") && name.indexOf('/', 18) < 0) {
                    services.computeIfAbsent(name, n -> new ArrayList<>()).add(text(data));
                } else if (name.equals("META-INF/helidon/manifest")) {
                    helidonManifests.add(text(data));
                } else if (name.equals("META-INF/helidon/config-metadata.json")) {
                    configMetadata.add(jsonArrayItems(text(data), jarName));
                } else if (isLegalNotice(name)) {
                    put("META-INF/licenses/" + jarName.replaceFirst("\\.jar$", "") + "/"
                            + name.substring("META-INF/".length()), jarName, data);
                } else {
                    put(name, jarName, data);
                }
            }
        }
    }

    private void put(String name, String jarName, byte[] data) {
        Source first = files.get(name);
        if (first == null) {
            files.put(name, new Source(jarName, data));
        } else if (!Arrays.equals(first.data(), data)) {
            if (name.endsWith(".class")) {
                shadowedClasses.add(name + " (" + first.jar() + ", " + jarName + ")");
            } else {
                throw new IllegalStateException(name + " differs in " + first.jar() + " and " + jarName
                        + "; a class-path lookup of all of them would have found both: teach MergeJars to merge it");
            }
        }
    }

    private void write(Path mainJar, Path out) throws IOException {
        var manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (var jar = new JarFile(mainJar.toFile())) {
            jar.getManifest().getMainAttributes().forEach((key, value) -> {
                if (!key.equals(Attributes.Name.CLASS_PATH)) {
                    main.put(key, value);
                }
            });
        }
        if (multiRelease) {
            main.put(Attributes.Name.MULTI_RELEASE, "true");
        }

        Files.createDirectories(out.toAbsolutePath().getParent());
        try (var jar = new JarOutputStream(Files.newOutputStream(out), manifest)) {
            for (var service : services.entrySet()) {
                write(jar, service.getKey(), String.join("\n", service.getValue().stream()
                        .map(String::strip).filter(s -> !s.isEmpty()).toList()) + "\n");
            }
            if (!helidonManifests.isEmpty()) {
                write(jar, "META-INF/helidon/manifest", String.join("\n", helidonManifests.stream()
                        .map(String::strip).toList()) + "\n");
            }
            if (!configMetadata.isEmpty()) {
                write(jar, "META-INF/helidon/config-metadata.json", "[" + String.join(",", configMetadata.stream()
                        .filter(s -> !s.isBlank()).toList()) + "]");
            }
            for (var file : files.entrySet()) {
                jar.putNextEntry(new ZipEntry(file.getKey()));
                jar.write(file.getValue().data());
                jar.closeEntry();
            }
        }
    }

    private static void write(JarOutputStream jar, String name, String text) throws IOException {
        jar.putNextEntry(new ZipEntry(name));
        jar.write(text.getBytes(StandardCharsets.UTF_8));
        jar.closeEntry();
    }

    private static boolean isSignature(String name) {
        return name.startsWith("META-INF/") && name.indexOf('/', 9) < 0
                && (name.endsWith(".SF") || name.endsWith(".RSA") || name.endsWith(".DSA") || name.endsWith(".EC"));
    }

    /** LICENSE, NOTICE, DEPENDENCIES and the like directly in META-INF/ (each library ships its own). */
    private static boolean isLegalNotice(String name) {
        if (!name.startsWith("META-INF/") || name.indexOf('/', 9) >= 0) {
            return false;
        }
        String file = name.substring(9).toUpperCase(java.util.Locale.ROOT);
        return file.startsWith("LICENSE") || file.startsWith("NOTICE") || file.startsWith("DEPENDENCIES")
                || file.startsWith("COPYRIGHT");
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** The items of a JSON array document, as text, to be joined with those of the other jars. */
    private static String jsonArrayItems(String json, String jarName) {
        String trimmed = json.strip();
        if (!trimmed.startsWith("[") || !trimmed.endsWith("]")) {
            throw new IllegalStateException("META-INF/helidon/config-metadata.json in " + jarName
                    + " is not a JSON array; teach MergeJars to merge it");
        }
        return trimmed.substring(1, trimmed.length() - 1).strip();
    }
}
