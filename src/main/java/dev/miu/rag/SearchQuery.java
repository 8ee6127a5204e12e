package dev.miu.rag;

import java.util.Map;
import java.util.Objects;

/**
 * One search of a collection.
 *
 * @param text   the query words (for BM25), never blank
 * @param vector the query's embedding (for vector search); may be null only in {@link SearchMode#KEYWORD} mode
 * @param k      how many hits to return, 1..{@link #MAX_K}
 * @param filter metadata that every hit must have exactly (all pairs must match); empty for none
 */
public record SearchQuery(String text, float[] vector, int k, Map<String, String> filter, SearchMode mode) {

    public static final int MAX_K = 100;

    public SearchQuery {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(mode, "mode");
        if (text.isBlank()) {
            throw new RagException("The search query is empty");
        }
        if (k < 1 || k > MAX_K) {
            throw new RagException("k must be between 1 and " + MAX_K + ", got " + k);
        }
        if (vector == null && mode != SearchMode.KEYWORD) {
            throw new RagException("A " + mode + " search needs the query's vector");
        }
        filter = filter == null ? Map.of() : Map.copyOf(filter);
    }
}
