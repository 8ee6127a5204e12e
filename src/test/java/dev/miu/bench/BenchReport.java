package dev.miu.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Replaces one {@code ## } section of BENCHMARKS.md, keeping the others, or creates the file. */
final class BenchReport {

    private BenchReport() {}

    static void writeSection(Path file, String heading, List<String> section) throws IOException {
        List<String> lines = Files.exists(file)
                ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8))
                : new ArrayList<>(List.of(
                        "# Benchmarks",
                        "",
                        "Tables written by harnesses, not by timed tests. Regenerate the studio tables with `bench/run.sh` "
                                + "(quick, a few minutes) or `bench/run.sh --full`.",
                        ""));
        int start = lines.indexOf(heading);
        if (start < 0) {
            if (!lines.isEmpty() && !lines.getLast().isBlank()) {
                lines.add("");
            }
            lines.addAll(section);
        } else {
            int end = start + 1;
            while (end < lines.size() && !lines.get(end).startsWith("## ")) {
                end++;
            }
            List<String> rest = new ArrayList<>(lines.subList(end, lines.size()));
            lines.subList(start, lines.size()).clear();
            lines.addAll(section);
            lines.addAll(rest);
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
