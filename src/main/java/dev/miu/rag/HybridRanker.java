package dev.miu.rag;

import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranks one collection for a {@link SearchQuery}. Vector search asks the HNSW graph for the nearest neighbours;
 * keyword search runs BM25; hybrid search takes both candidate lists and scores every candidate by
 * {@code (1 - w) * cosine + w * bm25 / maxBm25} with {@code w = } {@value #KEYWORD_WEIGHT}. Meaning leads and
 * an exact term (a name, an error code) lifts a passage. Keyword search also recalls passages the graph search
 * missed, scored by their exact cosine. Even this small weight lets a passage that merely shares a query word
 * outrank one that answers it in other words (MiniLM's cosines are close together), which is why miu's default
 * search mode is {@link SearchMode#VECTOR} and hybrid is a choice ({@code rag.search-mode}).
 */
final class HybridRanker {

    static final double KEYWORD_WEIGHT = 0.2;
    /** Candidates fetched from each side per requested hit, so the blend has enough to choose from. */
    private static final int CANDIDATES_PER_HIT = 4;
    /**
     * The HNSW graph is searched for at least this many neighbours, then cut to k: with a beam as narrow as a small
     * k the greedy graph walk can miss the true nearest passage (seen with k = 3 on a ten-document collection).
     */
    static final int MIN_CANDIDATES = 100;

    record Ranked(org.apache.lucene.document.Document stored, double score, double vectorScore, double keywordScore) {}

    private final IndexSearcher searcher;
    private final String vectorField;

    HybridRanker(IndexSearcher searcher, String vectorField) {
        this.searcher = searcher;
        this.vectorField = vectorField;
    }

    List<Ranked> rank(SearchQuery query, Query filter, Query keywords) throws IOException {
        int k = query.k();
        return switch (query.mode()) {
            case VECTOR -> {
                List<Ranked> out = new ArrayList<>();
                ScoreDoc[] near = knn(query.vector(), Math.max(k, MIN_CANDIDATES), filter);
                for (ScoreDoc sd : java.util.Arrays.copyOf(near, Math.min(k, near.length))) {
                    double cos = cosine(sd.score);
                    out.add(new Ranked(stored(sd.doc), cos, cos, 0));
                }
                yield out;
            }
            case KEYWORD -> {
                if (keywords == null) {
                    yield List.of();
                }
                ScoreDoc[] hits = searcher.search(keywords, k).scoreDocs;
                double max = hits.length == 0 ? 1 : hits[0].score;
                List<Ranked> out = new ArrayList<>();
                for (ScoreDoc sd : hits) {
                    out.add(new Ranked(stored(sd.doc), sd.score / max, Double.NaN, sd.score));
                }
                yield out;
            }
            case HYBRID -> hybrid(query, filter, keywords);
        };
    }

    private List<Ranked> hybrid(SearchQuery query, Query filter, Query keywords) throws IOException {
        int candidates = Math.max(MIN_CANDIDATES, query.k() * CANDIDATES_PER_HIT);
        Map<Integer, double[]> scores = new LinkedHashMap<>(); // doc -> {cosine, bm25}
        for (ScoreDoc sd : knn(query.vector(), candidates, filter)) {
            scores.put(sd.doc, new double[] {cosine(sd.score), 0});
        }
        double maxBm25 = 0;
        if (keywords != null) {
            for (ScoreDoc sd : searcher.search(keywords, candidates).scoreDocs) {
                maxBm25 = Math.max(maxBm25, sd.score);
                double[] s = scores.get(sd.doc);
                if (s == null) {
                    scores.put(sd.doc, new double[] {cosineOf(sd.doc, query.vector()), sd.score});
                } else {
                    s[1] = sd.score;
                }
            }
        }
        List<Map.Entry<Integer, Double>> blended = new ArrayList<>();
        for (var e : scores.entrySet()) {
            double keyword = maxBm25 > 0 ? e.getValue()[1] / maxBm25 : 0;
            blended.add(Map.entry(e.getKey(), (1 - KEYWORD_WEIGHT) * e.getValue()[0] + KEYWORD_WEIGHT * keyword));
        }
        blended.sort(Map.Entry.<Integer, Double>comparingByValue(Comparator.reverseOrder()));
        List<Ranked> out = new ArrayList<>();
        for (var e : blended.subList(0, Math.min(query.k(), blended.size()))) {
            double[] s = scores.get(e.getKey());
            out.add(new Ranked(stored(e.getKey()), e.getValue(), s[0], s[1]));
        }
        return out;
    }

    private ScoreDoc[] knn(float[] vector, int k, Query filter) throws IOException {
        float[] target = Embedder.normalize(vector.clone());
        return searcher.search(new KnnFloatVectorQuery(vectorField, target, k, filter), k).scoreDocs;
    }

    /** Lucene scores unit-vector dot products as {@code (1 + dot) / 2}; turn that back into the cosine. */
    private static double cosine(float luceneScore) {
        return 2.0 * luceneScore - 1.0;
    }

    /** The cosine of a document the graph search did not return, read from its stored vector. */
    private double cosineOf(int doc, float[] query) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(vectorField);
        if (values == null) {
            return 0;
        }
        KnnVectorValues.DocIndexIterator it = values.iterator();
        int local = doc - leaf.docBase;
        if (it.advance(local) != local) {
            return 0;
        }
        float[] v = values.vectorValue(it.index());
        float[] q = Embedder.normalize(query.clone());
        double dot = 0;
        for (int i = 0; i < v.length; i++) {
            dot += v[i] * q[i];
        }
        return dot;
    }

    private org.apache.lucene.document.Document stored(int doc) throws IOException {
        return searcher.storedFields().document(doc);
    }
}
