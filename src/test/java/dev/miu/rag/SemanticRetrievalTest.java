package dev.miu.rag;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retrieval by meaning with the real in-process model: each query shares no word with the passage that answers it,
 * while distractor passages share the query's words but not its meaning. The answer must still rank first, and a
 * keyword-only search must not find it first (so keyword overlap cannot be what ranked it).
 */
class SemanticRetrievalTest {

    static final List<Document> CORPUS = List.of(
            new Document("cat", "The feline dozed on the windowsill in the afternoon sun."),
            new Document("kitten-heels", "Kitten heels are a style of women's shoe with a short, slender heel."),
            new Document("napping-work", "Napping schedules for office workers are debated by productivity experts."),
            new Document("bike", "Patch the punctured inner tube of your bike wheel, then pump it back up."),
            new Document(
                    "flat-tax", "A flat tax applies one rate to every income bracket; critics say fixing it is hard."),
            new Document("tyre-recycling", "Old tyre rubber gets ground into crumb for playground surfaces."),
            new Document("car", "Buying a new automobile usually costs tens of thousands of dollars."),
            new Document("price-index", "The consumer price index measures how much a basket of groceries costs."),
            new Document(
                    "photosynthesis", "Green plants turn sunlight, water and carbon dioxide into sugar and oxygen."),
            new Document("stocks", "Shares fell sharply on Tuesday after the central bank raised interest rates."));

    @TempDir
    static Path dir;

    static KnowledgeBase knowledge;

    @BeforeAll
    static void fill() {
        knowledge = new KnowledgeBase(new MiniLmEmbedder(), new LuceneVectorStore(dir), new Chunker());
        knowledge.openCollection("semantic");
        List<EmbeddedDocument> docs = CORPUS.stream()
                .map(d -> new EmbeddedDocument(d, knowledge.embedder().embed(d.text())))
                .toList();
        knowledge.store().upsert("semantic", docs);
    }

    @AfterAll
    static void close() {
        knowledge.close();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "kitten napping|cat",
                "How can I repair a flat bicycle tire?|bike",
                "Price for purchasing cars?|car",
                "How do leaves make food from light?|photosynthesis"
            })
    void aQuerySharingNoWordWithItsAnswerStillRanksItFirst(String query, String expected) {
        Document answer =
                CORPUS.stream().filter(d -> d.id().equals(expected)).findFirst().orElseThrow();
        Set<String> shared = words(query);
        shared.retainAll(words(answer.text()));
        assertEquals(Set.of(), shared, "the test needs a query that shares no word with its answer");

        for (int k : new int[] {1, 3}) {
            List<SearchHit> hits = knowledge.search("semantic", query, k); // the default: by meaning
            assertEquals(k, hits.size());
            assertEquals(expected, hits.getFirst().document().id(), "ranking for '" + query + "': " + ids(hits));
        }
        List<SearchHit> keywordHits = knowledge.search("semantic", query, 3, Map.of(), SearchMode.KEYWORD);
        assertTrue(
                keywordHits.isEmpty() || !keywordHits.getFirst().document().id().equals(expected),
                "keyword search must not find the answer first: " + ids(keywordHits));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"kitten napping|napping-work", "flat tax|flat-tax"})
    void keywordSearchRanksByWords(String query, String expectedAmongHits) {
        List<SearchHit> hits = knowledge.search("semantic", query, 3, Map.of(), SearchMode.KEYWORD);
        assertTrue(
                hits.stream().anyMatch(h -> h.document().id().equals(expectedAmongHits)),
                ids(hits).toString());
        assertTrue(Double.isNaN(hits.getFirst().vectorScore()));
    }

    @org.junit.jupiter.api.Test
    void hybridSearchBlendsMeaningWithKeywordScores() {
        List<SearchHit> hits = knowledge.search("semantic", "flat tyre", 10, Map.of(), SearchMode.HYBRID);
        double maxKeyword =
                hits.stream().mapToDouble(SearchHit::keywordScore).max().orElseThrow();
        assertTrue(maxKeyword > 0);
        for (SearchHit h : hits) {
            double expected = (1 - HybridRanker.KEYWORD_WEIGHT) * h.vectorScore()
                    + HybridRanker.KEYWORD_WEIGHT * h.keywordScore() / maxKeyword;
            assertEquals(expected, h.score(), 1e-6, ids(hits).toString());
        }
        for (int i = 1; i < hits.size(); i++) {
            assertTrue(hits.get(i - 1).score() >= hits.get(i).score(), "best first: " + ids(hits));
        }
        // both words matter: the passages naming a flat thing and a tyre lead those that only mean one of them
        List<String> top =
                hits.subList(0, 3).stream().map(h -> h.document().id()).toList();
        assertTrue(
                top.contains("tyre-recycling") && top.contains("flat-tax"),
                ids(hits).toString());
    }

    static Set<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> !w.isEmpty())
                .collect(Collectors.toCollection(HashSet::new));
    }

    static List<String> ids(List<SearchHit> hits) {
        return hits.stream()
                .map(h -> h.document().id()
                        + String.format(Locale.ROOT, "(%.3f/%.3f/%.2f)", h.score(), h.vectorScore(), h.keywordScore()))
                .toList();
    }
}
