package dev.miu.rag;

import dev.miu.core.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two operations the studio's RAG routes offer, from request values to response JSON, so the HTTP layer only
 * moves bytes. Bad input is a {@link RagException} (400); an unknown collection a {@link CollectionNotFoundException} (404).
 */
public final class RagService {

    /** Most documents one request may add. */
    public static final int MAX_DOCUMENTS_PER_REQUEST = 1000;

    private final KnowledgeBase knowledge;
    private final int defaultK;
    private final SearchMode defaultMode;

    public RagService(KnowledgeBase knowledge, int defaultK, SearchMode defaultMode) {
        this.knowledge = knowledge;
        this.defaultK = defaultK;
        this.defaultMode = defaultMode;
    }

    /** The service the settings describe (their embedder and store); close the knowledge base when done. */
    public static RagService create(KnowledgeBase knowledge, RagSettings settings) {
        return new RagService(knowledge, settings.topK(), settings.searchMode());
    }

    /**
     * {@code POST /api/v1/rag/{collection}/documents} with {@code {"documents": [{"id": "...", "text": "...",
     * "metadata": {"k": "v"}}]}} ({@code id} and {@code metadata} optional). Answers
     * {@code {"collection", "documents", "added", "updated", "unchanged", "chunks", "total_chunks"}}.
     */
    public JsonObject addDocuments(String collection, JsonObject body) {
        VectorStore.checkName(collection);
        JsonArray items = Json.array(body, "documents");
        if (items == null) {
            throw new RagException("The body must be {\"documents\": [{\"text\": \"...\"}, ...]}");
        }
        if (items.isEmpty() || items.size() > MAX_DOCUMENTS_PER_REQUEST) {
            throw new RagException(
                    "Send between 1 and " + MAX_DOCUMENTS_PER_REQUEST + " documents, got " + items.size());
        }
        List<SourceDocument> documents = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            documents.add(document(items.get(i), i));
        }
        StoreResult result = knowledge.store(collection, documents, IngestProgress.NONE);
        long total = knowledge
                .store()
                .info(collection)
                .map(CollectionInfo::documents)
                .orElse(0L);
        return Json.object()
                .add("collection", collection)
                .add("documents", documents.size())
                .add("added", result.added())
                .add("updated", result.updated())
                .add("unchanged", result.unchanged())
                .add("chunks", result.chunks())
                .add("total_chunks", total)
                .build();
    }

    private static SourceDocument document(JsonValue value, int index) {
        if (!(value instanceof JsonObject item)) {
            throw new RagException("documents[" + index + "] must be an object with a \"text\"");
        }
        if (!(item.get("text") instanceof JsonString text) || text.getString().isBlank()) {
            throw new RagException("documents[" + index + "].text must be a non-empty string");
        }
        String id;
        JsonValue idValue = item.get("id");
        if (idValue == null || idValue == JsonValue.NULL) {
            id = "doc-" + KnowledgeBase.sha256(text.getString()).substring(0, 16);
        } else if (idValue instanceof JsonString s && !s.getString().isBlank()) {
            id = s.getString();
        } else {
            throw new RagException("documents[" + index + "].id must be a non-empty string");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonValue meta = item.get("metadata");
        if (meta != null && meta != JsonValue.NULL) {
            if (!(meta instanceof JsonObject m)) {
                throw new RagException("documents[" + index + "].metadata must be an object of strings");
            }
            m.forEach((k, v) -> metadata.put(
                    k,
                    switch (v) {
                        case JsonString s -> s.getString();
                        case JsonNumber n -> n.toString();
                        default -> {
                            if (v == JsonValue.TRUE || v == JsonValue.FALSE) {
                                yield v.toString();
                            }
                            throw new RagException(
                                    "documents[" + index + "].metadata." + k + " must be a string, number or boolean");
                        }
                    }));
        }
        try {
            return new SourceDocument(id, text.getString(), metadata);
        } catch (RagException e) {
            throw new RagException("documents[" + index + "]: " + e.getMessage());
        }
    }

    /**
     * {@code GET /api/v1/rag/{collection}/search?q=...&k=...} (optional {@code mode=vector|hybrid|keyword} and
     * {@code filter.KEY=VALUE}). Answers {@code {"collection", "query", "k", "mode", "hits": [{"id", "document",
     * "source", "score", "vector_score", "keyword_score", "text", "metadata"}]}}.
     *
     * @param k      the raw {@code k} parameter, or null for the default
     * @param mode   the raw {@code mode} parameter, or null for the configured default
     * @param filter metadata every hit must match
     */
    public JsonObject search(String collection, String q, String k, String mode, Map<String, String> filter) {
        VectorStore.checkName(collection);
        if (q == null || q.isBlank()) {
            throw new RagException("Give the query as ?q=...");
        }
        int count = defaultK;
        if (k != null && !k.isBlank()) {
            try {
                count = Integer.parseInt(k.strip());
            } catch (NumberFormatException e) {
                throw new RagException("k must be a whole number, got '" + k + "'");
            }
        }
        SearchMode searchMode = mode == null || mode.isBlank() ? defaultMode : RagSettings.mode(mode);
        if (knowledge.store().info(collection).isEmpty()) {
            throw new CollectionNotFoundException("No collection named '" + collection + "'");
        }
        List<SearchHit> hits = knowledge.search(collection, q, count, filter, searchMode);
        var array = Json.array();
        for (SearchHit hit : hits) {
            Document d = hit.document();
            var h = Json.object()
                    .add("id", d.id())
                    .add("document", d.metadata().getOrDefault(SourceDocument.DOCUMENT, d.id()))
                    .add("source", d.source())
                    .add("score", round(hit.score()));
            if (Double.isNaN(hit.vectorScore())) {
                h.addNull("vector_score");
            } else {
                h.add("vector_score", round(hit.vectorScore()));
            }
            array.add(h.add("keyword_score", round(hit.keywordScore()))
                    .add("text", d.text())
                    .add("metadata", Json.toJson(d.metadata())));
        }
        return Json.object()
                .add("collection", collection)
                .add("query", q)
                .add("k", count)
                .add("mode", searchMode.name().toLowerCase(java.util.Locale.ROOT))
                .add("hits", array)
                .build();
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
