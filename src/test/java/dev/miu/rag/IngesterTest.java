package dev.miu.rag;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ingesting real files with the real embedder: what is read and skipped, idempotent re-ingest, updates, restarts. */
class IngesterTest {

    static Embedder embedder;

    @TempDir
    Path files;

    @TempDir
    Path store;

    @BeforeAll
    static void model() {
        embedder = new MiniLmEmbedder();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    /** A knowledge base that leaves the shared embedder open when closed (the class closes it once). */
    KnowledgeBase open() {
        Embedder shared = new Embedder() {
            public String id() {
                return embedder.id();
            }

            public int dimensions() {
                return embedder.dimensions();
            }

            public List<float[]> embed(List<String> texts) {
                return embedder.embed(texts);
            }
        };
        return new KnowledgeBase(shared, new LuceneVectorStore(store), new Chunker(300, 60));
    }

    void writeCorpus() throws IOException {
        Files.writeString(
                files.resolve("guide.md"),
                IntStream.range(0, 8)
                        .mapToObj(i -> "## Step " + i + "\n\nTurn the valve number " + i
                                + " clockwise until the gauge reads " + (i * 10) + " bar.")
                        .collect(Collectors.joining("\n\n")));
        Files.writeString(files.resolve("notes.txt"), "The office cat is called Biscuit and she likes the radiator.");
        Files.createDirectories(files.resolve("src"));
        Files.writeString(files.resolve("src/Hello.java"), "class Hello { /* prints a greeting */ }");
        Files.write(files.resolve("image.bin"), new byte[] {0, 1, 2, 3});
        Files.createDirectories(files.resolve(".git"));
        Files.writeString(files.resolve(".git/config.md"), "hidden directories are skipped");
        Files.createDirectories(files.resolve("node_modules/lib"));
        Files.writeString(files.resolve("node_modules/lib/readme.md"), "dependencies are skipped");
        Files.writeString(files.resolve("empty.txt"), "   \n");
        try (PDDocument pdf = new PDDocument()) {
            PDPage page = new PDPage();
            pdf.addPage(page);
            try (var text = new PDPageContentStream(pdf, page)) {
                text.beginText();
                text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                text.newLineAtOffset(72, 700);
                text.showText("Quarterly revenue grew by twelve percent compared with last year.");
                text.endText();
            }
            pdf.save(files.resolve("report.pdf").toFile());
        }
    }

    @Test
    void ingestsTextSourceAndPdfAndSkipsTheRest() throws IOException {
        writeCorpus();
        try (KnowledgeBase kb = open()) {
            List<int[]> progress = new ArrayList<>();
            IngestReport report = new Ingester(kb)
                    .ingest("docs", List.of(files), (done, total) -> progress.add(new int[] {done, total}));
            assertEquals(4, report.files(), report.toString()); // guide.md, notes.txt, Hello.java, report.pdf
            assertEquals(4, report.stored().added());
            assertEquals(
                    List.of("empty.txt"),
                    report.skipped().stream()
                            .map(s -> Path.of(s.path()).getFileName().toString())
                            .toList());
            assertTrue(report.stored().chunks() > 4, "the guide needs several chunks: " + report);
            assertEquals(report.stored().chunks(), progress.getLast()[0]);
            assertEquals(report.stored().chunks(), progress.getLast()[1]);
            assertEquals(
                    report.stored().chunks(),
                    kb.store().info("docs").orElseThrow().documents());

            SearchHit pdfHit =
                    kb.search("docs", "How much did income increase?", 1).getFirst();
            assertTrue(pdfHit.document().source().endsWith("report.pdf"), pdfHit.toString());
            assertEquals("pdf", pdfHit.document().metadata().get("type"));
            SearchHit pet = kb.search("docs", "what is the name of the animal at work", 1)
                    .getFirst();
            assertTrue(pet.document().text().contains("Biscuit"));

            var binary = new Ingester(kb).ingest("docs", List.of(files.resolve("image.bin")), IngestProgress.NONE);
            assertEquals("not UTF-8 text", binary.skipped().getFirst().reason());
            assertThrows(
                    RagException.class,
                    () -> new Ingester(kb).ingest("docs", List.of(files.resolve("missing")), IngestProgress.NONE));
        }
    }

    @Test
    void reIngestingUnchangedFilesEmbedsNothingAndSurvivesRestarts() throws IOException {
        writeCorpus();
        long count;
        List<String> firstHits;
        try (KnowledgeBase kb = open()) {
            StoreResult first = new Ingester(kb)
                    .ingest("docs", List.of(files), IngestProgress.NONE)
                    .stored();
            count = kb.store().info("docs").orElseThrow().documents();
            firstHits = ids(kb.search("docs", "open the tap a quarter turn", 3));
            StoreResult again = new Ingester(kb)
                    .ingest("docs", List.of(files), IngestProgress.NONE)
                    .stored();
            assertEquals(new StoreResult(0, 0, first.added(), 0), again);
            assertEquals(count, kb.store().info("docs").orElseThrow().documents());
        }
        try (KnowledgeBase kb = open()) { // a new process: same store directory
            assertEquals(count, kb.store().info("docs").orElseThrow().documents());
            assertEquals(firstHits, ids(kb.search("docs", "open the tap a quarter turn", 3)));
            StoreResult afterRestart = new Ingester(kb)
                    .ingest("docs", List.of(files), IngestProgress.NONE)
                    .stored();
            assertEquals(0, afterRestart.chunks());
            assertEquals(4, afterRestart.unchanged());
        }
    }

    @Test
    void aChangedFileReplacesItsChunksWithoutLeavingStaleOnes() throws IOException {
        writeCorpus();
        Path guide = files.resolve("guide.md");
        try (KnowledgeBase kb = open()) {
            new Ingester(kb).ingest("docs", List.of(files), IngestProgress.NONE);
            int before = kb.store()
                    .find("docs", Map.of(SourceDocument.DOCUMENT, guide.toString()), 1000)
                    .size();
            assertTrue(before > 2);

            Files.writeString(guide, "The whole procedure is now automatic: press the green button once.");
            StoreResult result = new Ingester(kb)
                    .ingest("docs", List.of(files), IngestProgress.NONE)
                    .stored();
            assertEquals(new StoreResult(0, 1, 3, 1), result);
            List<Document> chunks = kb.store().find("docs", Map.of(SourceDocument.DOCUMENT, guide.toString()), 1000);
            assertEquals(1, chunks.size());
            assertTrue(chunks.getFirst().text().contains("green button"));
            assertTrue(
                    kb.search("docs", "valve gauge bar", 10, Map.of(), SearchMode.KEYWORD).stream()
                            .noneMatch(h -> h.document().source().equals(guide.toString())),
                    "old text is gone");
            assertEquals(1L, kb.remove("docs", guide.toString()));
        }
    }

    static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(h -> h.document().id()).toList();
    }
}
