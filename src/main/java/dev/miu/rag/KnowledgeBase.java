package dev.miu.rag;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Retrieval over one {@link Embedder} and one {@link VectorStore}: stores whole texts as embedded chunks (skipping
 * any whose text is already stored), and searches a collection with a query text. Thread-safe.
 */
public final class KnowledgeBase implements AutoCloseable {

    /** Most chunks one document may have (a 100 MB log file is not knowledge). */
    static final int MAX_CHUNKS_PER_DOCUMENT = 20_000;

    private final Embedder embedder;
    private final VectorStore store;
    private final Chunker chunker;

    public KnowledgeBase(Embedder embedder, VectorStore store, Chunker chunker) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.store = Objects.requireNonNull(store, "store");
        this.chunker = Objects.requireNonNull(chunker, "chunker");
    }

    public Embedder embedder() {
        return embedder;
    }

    public VectorStore store() {
        return store;
    }

    public Chunker chunker() {
        return chunker;
    }

    /** Creates the collection for this embedder if needed, or checks it was made with it. */
    public CollectionInfo openCollection(String collection) {
        return store.open(collection, embedder.id(), embedder.dimensions());
    }

    /**
     * Chunks, embeds and stores documents. A document whose text is already stored under its id is skipped; one
     * whose text changed has its chunks replaced (new chunks are written before stale ones are removed, so a
     * failure part-way never leaves the document missing).
     */
    public StoreResult store(String collection, List<SourceDocument> documents, IngestProgress progress) {
        openCollection(collection);
        record Pending(SourceDocument source, String sha, List<Chunk> chunks, int oldChunks) {}
        List<Pending> pending = new ArrayList<>();
        int added = 0, updated = 0, unchanged = 0, total = 0;
        for (SourceDocument doc : documents) {
            String sha = sha256(doc.text());
            List<Document> existing =
                    store.find(collection, Map.of(SourceDocument.DOCUMENT, doc.id()), MAX_CHUNKS_PER_DOCUMENT);
            if (!existing.isEmpty()
                    && sha.equals(existing.getFirst().metadata().get(SourceDocument.SHA256))
                    && existing.size()
                            == Integer.parseInt(
                                    existing.getFirst().metadata().getOrDefault(SourceDocument.CHUNKS, "-1"))) {
                unchanged++;
                continue;
            }
            List<Chunk> chunks = chunker.split(doc.text());
            if (chunks.size() > MAX_CHUNKS_PER_DOCUMENT) {
                throw new RagException("Document '" + doc.id() + "' would make " + chunks.size()
                        + " chunks; the limit is " + MAX_CHUNKS_PER_DOCUMENT);
            }
            if (existing.isEmpty()) {
                added++;
            } else {
                updated++;
            }
            pending.add(new Pending(doc, sha, chunks, existing.size()));
            total += chunks.size();
        }
        int done = 0;
        progress.embedded(0, total);
        for (Pending p : pending) {
            List<EmbeddedDocument> batch = new ArrayList<>(p.chunks().size());
            for (int from = 0; from < p.chunks().size(); from += embedder.batchSize()) {
                List<Chunk> slice = p.chunks().subList(from, Math.min(p.chunks().size(), from + embedder.batchSize()));
                List<float[]> vectors =
                        embedder.embed(slice.stream().map(Chunk::text).toList());
                for (int i = 0; i < slice.size(); i++) {
                    batch.add(new EmbeddedDocument(
                            chunkDocument(
                                    p.source(),
                                    p.sha(),
                                    slice.get(i),
                                    p.chunks().size()),
                            vectors.get(i)));
                }
                done += slice.size();
                progress.embedded(done, total);
            }
            store.upsert(collection, batch);
            if (p.oldChunks() > p.chunks().size()) {
                List<String> stale = new ArrayList<>();
                for (int i = p.chunks().size(); i < p.oldChunks(); i++) {
                    stale.add(chunkId(p.source().id(), i));
                }
                store.delete(collection, stale);
            }
        }
        return new StoreResult(added, updated, unchanged, total);
    }

    /** Removes every chunk of a document; returns how many there were. */
    public long remove(String collection, String documentId) {
        List<Document> chunks =
                store.find(collection, Map.of(SourceDocument.DOCUMENT, documentId), MAX_CHUNKS_PER_DOCUMENT);
        return store.delete(collection, chunks.stream().map(Document::id).toList());
    }

    /** The {@code k} passages that best answer {@code query}, best first. */
    public List<SearchHit> search(String collection, String query, int k, Map<String, String> filter, SearchMode mode) {
        if (query == null || query.isBlank()) {
            throw new RagException("The search query is empty");
        }
        float[] vector = mode == SearchMode.KEYWORD ? null : embedder.embed(query);
        return store.search(collection, new SearchQuery(query, vector, k, filter, mode));
    }

    /** As {@link #search(String, String, int, Map, SearchMode)}, by meaning, with no filter. */
    public List<SearchHit> search(String collection, String query, int k) {
        return search(collection, query, k, Map.of(), SearchMode.VECTOR);
    }

    private static Document chunkDocument(SourceDocument source, String sha, Chunk chunk, int chunks) {
        Map<String, String> metadata = new LinkedHashMap<>(source.metadata());
        metadata.putIfAbsent(Document.SOURCE, source.id());
        metadata.put(SourceDocument.DOCUMENT, source.id());
        metadata.put(SourceDocument.CHUNK, String.valueOf(chunk.index()));
        metadata.put(SourceDocument.CHUNKS, String.valueOf(chunks));
        metadata.put(SourceDocument.SHA256, sha);
        return new Document(chunkId(source.id(), chunk.index()), chunk.text(), metadata);
    }

    static String chunkId(String documentId, int index) {
        return documentId + "#" + index;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    @Override
    public void close() {
        store.close();
        embedder.close();
    }
}
