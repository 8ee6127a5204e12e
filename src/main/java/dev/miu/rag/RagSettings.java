package dev.miu.rag;

import dev.miu.config.MiuConfig;
import dev.miu.core.ConfigurationException;
import dev.miu.config.ConfigTree;

import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code rag} section of app.yaml, with its environment overrides.
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
public record RagSettings(String embedder, String collection, Path storeDir, int chunkSize, int chunkOverlap, int topK,
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

    public static RagSettings from(MiuConfig config, Map<String, String> env) {
        ConfigTree rag = config.yaml().get("rag");
        String embedder = firstNonBlank(env.get("MIU_RAG_EMBEDDER"), rag.get("embedder").asString().orElse(null), "local");
        String collection = firstNonBlank(env.get("MIU_RAG_COLLECTION"), rag.get("collection").asString().orElse(null), null);
        try {
            return new RagSettings(embedder, collection, config.dataDir().resolve("rag"),
                    rag.get("chunk-size").asInt().orElse(Chunker.DEFAULT_MAX_CHARS),
                    rag.get("chunk-overlap").asInt().orElse(Chunker.DEFAULT_OVERLAP_CHARS),
                    rag.get("top-k").asInt().orElse(5), mode(rag.get("search-mode").asString().orElse("vector")));
        } catch (RagException e) {
            throw new ConfigurationException("Bad rag settings: " + e.getMessage());
        }
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

    private static String firstNonBlank(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) {
            return a.strip();
        }
        if (b != null && !b.isBlank()) {
            return b.strip();
        }
        return fallback;
    }
}
