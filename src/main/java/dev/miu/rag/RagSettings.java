package dev.miu.rag;

import dev.miu.core.ConfigurationException;

import java.nio.file.Path;

/**
 * The {@code rag} section of app.yaml, with its environment overrides (read by {@code dev.miu.config}).
 *
 * @param embedder     {@code local} (in-process MiniLM, the default), {@code openai:MODEL}, {@code ollama:MODEL} or
 *                     {@code gemini:MODEL}; {@code MIU_RAG_EMBEDDER} overrides
 * @param collection   the collection agents search with {@code search_knowledge}, or null for no tool;
 *                     {@code MIU_RAG_COLLECTION} overrides, {@code --collection} overrides both
 * @param storeDir     where collections live: {@code MIU_DATA_DIR/rag}
 * @param chunkSize    largest chunk, in characters
 * @param chunkOverlap characters repeated from one chunk at the start of the next
 * @param topK         passages a search returns unless asked for another number
 * @param searchMode   how searches rank unless asked otherwise: {@code vector} (default), {@code hybrid}, {@code keyword}
 */
public record RagSettings(
        String embedder,
        String collection,
        Path storeDir,
        int chunkSize,
        int chunkOverlap,
        int topK,
        SearchMode searchMode) {

    public static final String DEFAULT_COLLECTION = "default";

    public RagSettings {
        if (collection != null) {
            VectorStore.checkName(collection);
        }
        if (topK < 1 || topK > SearchQuery.MAX_K) {
            throw new ConfigurationException("rag.top-k must be between 1 and " + SearchQuery.MAX_K + ", got " + topK);
        }
        new Chunker(chunkSize, chunkOverlap); // validates both with a clear message
        java.util.Objects.requireNonNull(searchMode, "searchMode");
    }

    public RagSettings withCollection(String collection) {
        return new RagSettings(embedder, collection, storeDir, chunkSize, chunkOverlap, topK, searchMode);
    }

    /** Parses {@code vector}, {@code hybrid} or {@code keyword}. */
    public static SearchMode mode(String value) {
        try {
            return SearchMode.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RagException("search mode must be vector, hybrid or keyword, got '" + value + "'");
        }
    }
}
