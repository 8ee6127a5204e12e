package dev.miu.rag;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Embedding throughput and search latency over 10,000 chunks with the default in-process embedder and the Lucene
 * store. Not part of the normal build; run it with
 * {@code ./mvnw -B -q test -Dtest=RagBenchmark -Dmiu.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 * It prints a table and rewrites the RAG row of {@code BENCHMARKS.md}.
 */
@EnabledIfSystemProperty(named = "miu.bench", matches = "true")
class RagBenchmark {

    static final int CHUNKS = Integer.getInteger("miu.bench.chunks", 10_000);
    static final int QUERIES = 200;
    static final String[] WORDS = ("the a of to and in is that for it as with was on be by this are from at or an have "
                    + "which one all were when we there can been has more if will no would their what so about out up into "
                    + "than them only other time new some could these two may first then do any like my now over such our man "
                    + "me even most made after also did many before must through back years where much your way well down "
                    + "should because each just those people how too little state good very make world still own see men work "
                    + "long get here between both life being under never day same another know while last might us great old "
                    + "year off come since against go came right used take three engine valve river policy server cluster "
                    + "invoice contract garden recipe battery network protocol harbour glacier violin theorem enzyme tariff")
            .split(" ");

    @TempDir
    Path dir;

    @Test
    void embedIndexAndSearchTenThousandChunks() throws IOException {
        var random = new Random(42);
        List<String> texts = new ArrayList<>(CHUNKS);
        for (int i = 0; i < CHUNKS; i++) {
            texts.add(sentence(random, 60 + random.nextInt(40)));
        }
        try (var knowledge = new KnowledgeBase(new MiniLmEmbedder(), new LuceneVectorStore(dir), new Chunker())) {
            knowledge.embedder().embed(List.of("warm up the model")); // load it outside the timings
            knowledge.openCollection("bench");

            var os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            double load = os.getSystemLoadAverage();
            long embedCpu = 0;
            long embedNanos = 0;
            long writeNanos = 0;
            int batch = knowledge.embedder().batchSize();
            List<EmbeddedDocument> pending = new ArrayList<>();
            for (int from = 0; from < CHUNKS; from += batch) {
                List<String> slice = texts.subList(from, Math.min(CHUNKS, from + batch));
                long t0 = System.nanoTime();
                long c0 = os.getProcessCpuTime();
                List<float[]> vectors = knowledge.embedder().embed(slice);
                embedNanos += System.nanoTime() - t0;
                embedCpu += os.getProcessCpuTime() - c0;
                for (int i = 0; i < slice.size(); i++) {
                    pending.add(new EmbeddedDocument(
                            new Document(
                                    "c" + (from + i),
                                    slice.get(i),
                                    Map.of("source", "bench/" + ((from + i) % 50) + ".md")),
                            vectors.get(i)));
                }
                if (pending.size() >= 1000 || from + batch >= CHUNKS) {
                    long t1 = System.nanoTime();
                    knowledge.store().upsert("bench", pending);
                    writeNanos += System.nanoTime() - t1;
                    pending.clear();
                }
            }
            double perSecond = CHUNKS / (embedNanos / 1e9);

            double[] vector = latencies(knowledge, random, SearchMode.VECTOR);
            double[] hybrid = latencies(knowledge, random, SearchMode.HYBRID);
            String row = String.format(
                    Locale.ROOT,
                    "| %s | %d cores (load %.1f at start), Java %s | %,d chunks of 60-100 words | %.0f chunks/s (%.1f s; %.0f chunks per CPU-second) | %.1f s | %.1f / %.1f ms | %.1f / %.1f ms |",
                    LocalDate.now(),
                    Runtime.getRuntime().availableProcessors(),
                    load,
                    Runtime.version().feature(),
                    CHUNKS,
                    perSecond,
                    embedNanos / 1e9,
                    CHUNKS / (embedCpu / 1e9),
                    writeNanos / 1e9,
                    vector[0],
                    vector[1],
                    hybrid[0],
                    hybrid[1]);
            System.out.println(HEADER + "\n" + row);
            writeRow(row);
        }
    }

    static final String SECTION = "## RAG: embedding and search";
    static final String HEADER = """
            | date | machine | corpus | embedding (all-MiniLM-L6-v2-q, in-process) | Lucene writes | vector search p50 / p95 (incl. query embedding, k=5) | hybrid search p50 / p95 |
            |---|---|---|---|---|---|---|""";

    private static double[] latencies(KnowledgeBase knowledge, Random random, SearchMode mode) {
        double[] ms = new double[QUERIES];
        for (int i = 0; i < QUERIES; i++) {
            String q = sentence(random, 6 + random.nextInt(6));
            long t0 = System.nanoTime();
            knowledge.search("bench", q, 5, Map.of(), mode);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[QUERIES / 2], ms[(int) (QUERIES * 0.95)]};
    }

    private static String sentence(Random random, int words) {
        var sb = new StringBuilder();
        for (int w = 0; w < words; w++) {
            sb.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            if (w % 15 == 14) {
                sb.append('.');
            }
        }
        return sb.append('.').toString();
    }

    /** Replaces the RAG row of BENCHMARKS.md (creating the file or section when missing). */
    private static void writeRow(String row) throws IOException {
        Path file = Path.of("BENCHMARKS.md");
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n";
        String command =
                "Run: `./mvnw -B -q test -Dtest=RagBenchmark -Dmiu.bench=true -Dsurefire.failIfNoSpecifiedTests=false`";
        String section = SECTION + "\n\n" + command + "\n\n" + HEADER + "\n" + row + "\n";
        int start = text.indexOf(SECTION);
        if (start < 0) {
            text = text.stripTrailing() + "\n\n" + section;
        } else {
            int end = text.indexOf("\n## ", start + SECTION.length());
            text = text.substring(0, start) + section + (end < 0 ? "" : text.substring(end));
        }
        Files.writeString(file, text);
    }
}
