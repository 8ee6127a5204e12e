package dev.miu.config;

import dev.miu.core.ConfigurationException;
import dev.miu.rag.Chunker;
import dev.miu.rag.RagException;
import dev.miu.rag.RagSettings;

import java.nio.file.Path;
import java.util.Map;

/** Reads the {@code rag} section of app.yaml, with {@code MIU_RAG_EMBEDDER} and {@code MIU_RAG_COLLECTION} over it. */
final class RagConfig {

    private RagConfig() {}

    /** Collections live in {@code dataDir/rag}. */
    static RagSettings from(ConfigTree rag, Path dataDir, Map<String, String> env) {
        String embedder = firstNonBlank(
                env.get("MIU_RAG_EMBEDDER"), rag.get("embedder").asString().orElse(null), "local");
        String collection = firstNonBlank(
                env.get("MIU_RAG_COLLECTION"), rag.get("collection").asString().orElse(null), null);
        try {
            return new RagSettings(
                    embedder,
                    collection,
                    dataDir.resolve("rag"),
                    rag.get("chunk-size").asInt().orElse(Chunker.DEFAULT_MAX_CHARS),
                    rag.get("chunk-overlap").asInt().orElse(Chunker.DEFAULT_OVERLAP_CHARS),
                    rag.get("top-k").asInt().orElse(5),
                    RagSettings.mode(rag.get("search-mode").asString().orElse("vector")));
        } catch (RagException e) {
            throw new ConfigurationException("Bad rag settings: " + e.getMessage());
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
