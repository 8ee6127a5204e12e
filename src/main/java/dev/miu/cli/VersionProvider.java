package dev.miu.cli;

import dev.miu.core.MiuVersion;
import picocli.CommandLine;

/** The version baked into the jar at build time. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    public static String version() {
        return MiuVersion.get();
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "miu " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"
        };
    }
}
