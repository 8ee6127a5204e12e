package dev.miu.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Time from starting {@code miu serve} to its first answered {@code GET /api/v1/health}, and its RSS once idle,
 * for the plain jar, the runtime image without its AOT cache, and the image's launcher with it.
 */
final class StartupBench {

    private StartupBench() {}

    static List<String> run(Path root, String javaHome, Map<String, String> providerEnv, int runs, Path logDir)
            throws Exception {
        record Mode(String name, List<String> command) {}
        List<Mode> modes = new ArrayList<>();
        modes.add(new Mode(
                "`java -jar target/miu.jar` (JDK)",
                List.of(
                        javaHome + "/bin/java",
                        "-jar",
                        root.resolve("target/miu.jar").toString())));
        Path image = root.resolve("target/image");
        boolean hasImage = Files.isExecutable(image.resolve("bin/miu"));
        if (hasImage) {
            modes.add(new Mode(
                    "runtime image, no AOT cache",
                    List.of(
                            image.resolve("bin/java").toString(),
                            "-jar",
                            image.resolve("app/miu.jar").toString())));
            modes.add(new Mode(
                    "runtime image `bin/miu` (AOT cache"
                            + (Files.exists(image.resolve("lib/miu.aot")) ? "" : " MISSING") + ")",
                    List.of(image.resolve("bin/miu").toString())));
        }
        List<String> out = new ArrayList<>();
        out.add("### Start-up and footprint");
        out.add("");
        out.add("`miu serve` started " + runs
                + " times per way (interleaved); time from process start to the first answered "
                + "`GET /api/v1/health` (polled every 2 ms from when serve prints where it listens; polling from the start took CPU from "
                + "the starting server), and RSS after 1 s idle. Medians.");
        out.add("");
        out.add("| how miu runs | start-up to first health answer, ms | vs jar | idle RSS, MiB | vs jar |");
        out.add("|---|---|---|---|---|");
        long[][] times = new long[modes.size()][runs];
        long[][] rss = new long[modes.size()][runs];
        for (int r = 0; r < runs; r++) {
            for (int m = 0; m < modes.size(); m++) {
                try (MiuProcess p = MiuProcess.start(
                        modes.get(m).command(), providerEnv, logDir.resolve("startup-" + m + ".log"))) {
                    times[m][r] = p.awaitHealthy(60_000);
                    Thread.sleep(1000);
                    rss[m][r] = p.rssKib();
                }
            }
        }
        double jarMs = median(times[0]) / 1e6;
        double jarRss = median(rss[0]) / 1024.0;
        for (int m = 0; m < modes.size(); m++) {
            double ms = median(times[m]) / 1e6;
            double mib = median(rss[m]) / 1024.0;
            out.add("| " + modes.get(m).name() + " | " + Math.round(ms) + " | "
                    + String.format(java.util.Locale.ROOT, "%.2f", ms / jarMs) + " | " + Math.round(mib) + " | "
                    + String.format(java.util.Locale.ROOT, "%.2f", mib / jarRss) + " |");
        }
        if (!hasImage) {
            out.add("");
            out.add("The runtime image was not built (`bin/build-image.sh`), so only the jar was measured.");
        }
        out.add("");
        return out;
    }

    private static long median(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }
}
