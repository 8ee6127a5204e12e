package dev.miu.rag;

import java.util.Map;
import java.util.Objects;

/**
 * A whole text to store, before chunking: a file or a document posted to the API.
 *
 * @param id       unique in the collection; its chunks get ids {@code id#0}, {@code id#1}, ...
 * @param text     the full text
 * @param metadata copied onto every chunk ({@code source} names where it came from; defaults to the id)
 */
public record SourceDocument(String id, String text, Map<String, String> metadata) {

    /** Metadata keys miu sets on every chunk. */
    public static final String DOCUMENT = "document";

    public static final String CHUNK = "chunk";
    public static final String SHA256 = "sha256";
    public static final String CHUNKS = "chunks";

    public SourceDocument {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        if (id.isBlank()) {
            throw new RagException("A document id must not be blank");
        }
        if (id.length() > 1000) {
            throw new RagException("A document id must be at most 1000 characters");
        }
        if (text.isBlank()) {
            throw new RagException("Document '" + id + "' has no text");
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        for (String key : metadata.keySet()) {
            if (key.isBlank()
                    || key.equals(DOCUMENT)
                    || key.equals(CHUNK)
                    || key.equals(SHA256)
                    || key.equals(CHUNKS)) {
                throw new RagException(
                        "Metadata key '" + key + "' is blank or reserved (document, chunk, chunks, sha256)");
            }
        }
    }
}
