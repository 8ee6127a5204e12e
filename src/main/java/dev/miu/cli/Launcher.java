package dev.miu.cli;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The jar's {@code Main-Class}: checks the Java version before anything of miu loads. Compiled for Java 8 (the
 * pom's {@code launcher-for-old-java} execution) so an older {@code java} runs it and can say what to do, where
 * it would otherwise fail with {@code UnsupportedClassVersionError} on {@link Main}. Its call of {@link Main} links
 * only when it runs, on Java 21+. Plain Java 8 code on purpose: no {@code var}, records or newer APIs.
 */
public final class Launcher {

    static final int REQUIRED = 21;

    private Launcher() {}

    public static void main(String[] args) {
        int version = major(System.getProperty("java.specification.version"));
        if (version < REQUIRED) {
            System.err.print(message(version, System.getProperty("java.home"), jarPath(), installedJdks()));
            System.exit(1);
        }
        Main.main(args);
    }

    /** 8 for "1.8", 17 for "17"; 0 when unreadable (then the message says so rather than miu failing later). */
    static int major(String specification) {
        if (specification == null) {
            return 0;
        }
        String s = specification.startsWith("1.") ? specification.substring(2) : specification;
        int dot = s.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? s : s.substring(0, dot));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** What the user reads: the version found, what to install, and how to point miu at a JDK that fits. */
    static String message(int version, String javaHome, String jar, List<String> found) {
        String n = System.lineSeparator();
        StringBuilder m = new StringBuilder();
        m.append("miu: needs Java ")
                .append(REQUIRED)
                .append(" or newer (25 recommended), but this is Java ")
                .append(version == 0 ? "of an unknown version" : String.valueOf(version))
                .append(" (")
                .append(javaHome)
                .append(").")
                .append(n);
        if (found.isEmpty()) {
            m.append("miu: install a JDK ")
                    .append(REQUIRED)
                    .append("+ (e.g. Temurin 25 from https://adoptium.net "
                            + "or your package manager), set JAVA_HOME to it and run:")
                    .append(n);
            m.append("  \"$JAVA_HOME/bin/java\" ").append(run(jar)).append(n);
        } else {
            m.append("miu: a JDK ")
                    .append(REQUIRED)
                    .append("+ is installed at ")
                    .append(found.get(0))
                    .append("; run:")
                    .append(n);
            m.append("  ")
                    .append(found.get(0))
                    .append(File.separator)
                    .append("bin")
                    .append(File.separator)
                    .append("java ")
                    .append(run(jar))
                    .append(n);
        }
        m.append("miu: in a miu checkout, `source bin/java-home.sh` finds one and sets JAVA_HOME and PATH.")
                .append(n);
        return m.toString();
    }

    /** The java arguments that start miu from {@code location} (the jar, or a classes folder in development). */
    private static String run(String location) {
        return (location.endsWith(".jar") ? "-jar " + location : "-cp " + location + " dev.miu.cli.Main") + " ...";
    }

    private static String jarPath() {
        try {
            return new File(Launcher.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .getPath();
        } catch (Exception e) { // no code source (an unusual class loader): the name still tells the user what to run
            return "miu.jar";
        }
    }

    /** JDKs of a fitting version in the usual places, as bin/java-home.sh looks for them. */
    static List<String> installedJdks() {
        List<String> roots = new ArrayList<String>();
        roots.add("/usr/lib/jvm");
        roots.add("/opt/java");
        roots.add(System.getProperty("user.home") + "/.sdkman/candidates/java");
        roots.add("/Library/Java/JavaVirtualMachines");
        List<String> found = new ArrayList<String>();
        for (String root : roots) {
            File[] homes = new File(root).listFiles();
            if (homes == null) {
                continue;
            }
            java.util.Arrays.sort(homes);
            for (File home : homes) {
                File macHome = new File(home, "Contents/Home");
                File jdk = macHome.isDirectory() ? macHome : home;
                if (major(releaseVersion(new File(jdk, "release"))) >= REQUIRED
                        && new File(jdk, "bin/java").isFile()
                        && !found.contains(jdk.getPath())) {
                    found.add(jdk.getPath());
                }
            }
        }
        return found;
    }

    /** JAVA_VERSION from a JDK's {@code release} file ("25.0.1"), or null. */
    private static String releaseVersion(File release) {
        if (!release.isFile()) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = new FileInputStream(release)) {
            p.load(in);
        } catch (IOException e) {
            return null;
        }
        String v = p.getProperty("JAVA_VERSION");
        return v == null ? null : v.replace("\"", "");
    }
}
