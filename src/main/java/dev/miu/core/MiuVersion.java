package dev.miu.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** miu's own version, as the build wrote it into {@code dev/miu/version.properties}; "unknown" outside a build. */
public final class MiuVersion {

    private static final String UNKNOWN = "unknown";
    private static final String VERSION = read();

    private MiuVersion() {}

    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = MiuVersion.class.getResourceAsStream("/dev/miu/version.properties")) {
            if (in != null) {
                var props = new Properties();
                props.load(in);
                String version = props.getProperty("version");
                // an unfiltered copy (an IDE running from the source tree) still says ${project.version}
                if (version != null && !version.isBlank() && !version.startsWith("${")) {
                    return version.strip();
                }
            }
        } catch (IOException e) {
            // fall through to the jar's manifest
        }
        String manifest = MiuVersion.class.getPackage().getImplementationVersion();
        return manifest != null ? manifest : UNKNOWN;
    }
}
