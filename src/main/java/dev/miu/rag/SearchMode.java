package dev.miu.rag;

/** How a search ranks documents. */
public enum SearchMode {
    /** By meaning only: nearest vectors. */
    VECTOR,
    /** By words only: BM25. */
    KEYWORD,
    /**
     * Both: vector similarity blended with normalised BM25, so exact terms (names, codes) lift a passage; a passage
     * that merely shares a word with the query can also be lifted above a better one (see {@code HybridRanker}).
     */
    HYBRID
}
