package dev.miu.code.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How tests start the real {@code miu} command line in a child JVM: this JVM's java and classpath. */
final class MiuProcess {

    private MiuProcess() {}

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Surefire puts the full test classpath here; plain java.class.path may be its manifest-only jar (which also works). */
    static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    static List<String> command(String... miuArgs) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-cp", classpath(), "dev.miu.cli.Main"));
        cmd.addAll(List.of(miuArgs));
        return cmd;
    }
}
