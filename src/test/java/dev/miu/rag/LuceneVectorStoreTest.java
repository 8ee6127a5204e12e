package dev.miu.rag;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Lucene store on its own, with hand-made vectors: persistence, upsert, delete, filters and its errors. */
class LuceneVectorStoreTest {

    @TempDir
    Path dir;

    static EmbeddedDocument doc(String id, String text, Map<String, String> meta, float... vector) {
        return new EmbeddedDocument(new Document(id, text, meta), vector);
    }

    @Test
    void collectionsSurviveARestart() {
        try (var store = new LuceneVectorStore(dir)) {
            store.open("notes", "test:embedder", 3);
            store.upsert(
                    "notes",
                    List.of(
                            doc("a", "alpha text", Map.of("source", "a.md"), 1, 0, 0),
                            doc("b", "beta text", Map.of("source", "b.md"), 0, 1, 0)));
        }
        try (var store = new LuceneVectorStore(dir)) {
            CollectionInfo info = store.info("notes").orElseThrow();
            assertEquals(new CollectionInfo("notes", "test:embedder", 3, 2), info);
            List<SearchHit> hits = store.search(
                    "notes", new SearchQuery("x", new float[] {0.9f, 0.1f, 0}, 1, Map.of(), SearchMode.VECTOR));
            assertEquals("a", hits.getFirst().document().id());
            assertEquals("a.md", hits.getFirst().document().source());
            assertEquals("alpha text", hits.getFirst().document().text());
            assertEquals(
                    List.of("notes"),
                    store.collections().stream().map(CollectionInfo::name).toList());
        }
    }

    @Test
    void upsertReplacesByIdAndDeleteRemoves() {
        try (var store = new LuceneVectorStore(dir)) {
            store.open("c", "e", 2);
            store.upsert("c", List.of(doc("x", "old", Map.of(), 1, 0), doc("y", "other", Map.of(), 0, 1)));
            store.upsert("c", List.of(doc("x", "new", Map.of(), 1, 0)));
            assertEquals(2, store.info("c").orElseThrow().documents());
            assertEquals(
                    "new",
                    store.find("c", Map.of(), 10).stream()
                            .filter(d -> d.id().equals("x"))
                            .findFirst()
                            .orElseThrow()
                            .text());
            assertEquals(1, store.delete("c", List.of("x", "never-there")));
            assertEquals(
                    List.of("y"),
                    store.find("c", Map.of(), 10).stream().map(Document::id).toList());
        }
    }

    @Test
    void metadataFilterRestrictsEverySearchMode() {
        try (var store = new LuceneVectorStore(dir)) {
            store.open("c", "e", 2);
            store.upsert(
                    "c",
                    List.of(
                            doc("guide", "install the printer driver", Map.of("lang", "en", "kind", "guide"), 1, 0),
                            doc("faq", "printer driver questions", Map.of("lang", "en", "kind", "faq"), 0.9f, 0.1f),
                            doc(
                                    "de",
                                    "Druckertreiber installieren printer",
                                    Map.of("lang", "de", "kind", "guide"),
                                    0.95f,
                                    0.05f)));
            for (SearchMode mode : SearchMode.values()) {
                var query = new SearchQuery(
                        "printer driver", new float[] {1, 0}, 10, Map.of("lang", "en", "kind", "faq"), mode);
                assertEquals(
                        List.of("faq"),
                        store.search("c", query).stream()
                                .map(h -> h.document().id())
                                .toList(),
                        mode.name());
            }
            assertEquals(2, store.find("c", Map.of("kind", "guide"), 10).size());
        }
    }

    @Test
    void aCollectionKeepsToItsEmbedder() {
        try (var store = new LuceneVectorStore(dir)) {
            store.open("c", "local:a", 2);
            var e = assertThrows(RagException.class, () -> store.open("c", "openai:b", 2));
            assertTrue(e.getMessage().contains("local:a") && e.getMessage().contains("openai:b"), e.getMessage());
            assertThrows(RagException.class, () -> store.upsert("c", List.of(doc("x", "t", Map.of(), 1, 0, 0))));
            assertThrows(
                    RagException.class,
                    () -> store.search(
                            "c", new SearchQuery("t", new float[] {1, 0, 0}, 1, Map.of(), SearchMode.VECTOR)));
        }
    }

    @Test
    void badNamesAndMissingCollectionsAreClearErrors() {
        try (var store = new LuceneVectorStore(dir)) {
            for (String bad : List.of("", "../up", ".hidden", "a/b", "x".repeat(65))) {
                assertThrows(RagException.class, () -> store.open(bad, "e", 2), bad);
            }
            var e = assertThrows(
                    CollectionNotFoundException.class,
                    () -> store.search(
                            "nope", new SearchQuery("t", new float[] {1, 0}, 1, Map.of(), SearchMode.VECTOR)));
            assertTrue(e.getMessage().contains("nope"));
            assertTrue(store.info("nope").isEmpty());
            assertEquals(List.of(), store.find("nope", Map.of(), 5));
            assertEquals(0, store.delete("nope", List.of("a")));
            assertThrows(RagException.class, () -> new SearchQuery(" ", null, 1, Map.of(), SearchMode.KEYWORD));
            assertThrows(RagException.class, () -> new SearchQuery("q", null, 0, Map.of(), SearchMode.KEYWORD));
            assertThrows(RagException.class, () -> new SearchQuery("q", null, 5, Map.of(), SearchMode.VECTOR));
        }
    }

    @Test
    void aSecondProcessCannotOpenACollectionInUse() throws Exception {
        try (var first = new LuceneVectorStore(dir);
                var second = new LuceneVectorStore(dir)) {
            first.open("c", "e", 2);
            var e = assertThrows(RagException.class, () -> second.open("c", "e", 2));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
        assertTrue(Files.isDirectory(dir.resolve("c")));
    }
}
