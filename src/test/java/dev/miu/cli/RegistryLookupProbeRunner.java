package dev.miu.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@link RegistryLookupProbe} in a JVM of its own and returns its {@code LOOKUP} lines. */
public final class RegistryLookupProbeRunner {

    private RegistryLookupProbeRunner() {
    }

    public static List<String> run() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RegistryLookupProbe.class.getName()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.endsWith("_API_KEY") || k.endsWith("_BASE_URL") || k.startsWith("MIU_"));
        Process process = builder.start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !output.contains("PROBE DONE")) {
            process.destroyForcibly();
            throw new AssertionError("the registry probe failed:\n" + output);
        }
        return output.lines().filter(line -> line.startsWith("LOOKUP ")).toList();
    }
}
