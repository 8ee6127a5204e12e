package dev.miu.rag;

import java.util.Map;
import java.util.Objects;

/**
 * A piece of text kept in a collection: its id (unique in the collection), the text, and string metadata that
 * searches may filter on ({@code source} names where it came from).
 */
public record Document(String id, String text, Map<String, String> metadata) {

    /** The metadata key naming where a document came from (a file path, a URL); search results cite it. */
    public static final String SOURCE = "source";

    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        if (id.isBlank()) {
            throw new RagException("A document id must not be blank");
        }
        if (text.isBlank()) {
            throw new RagException("Document '" + id + "' has no text");
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public Document(String id, String text) {
        this(id, text, Map.of());
    }

    /** The {@code source} metadata, or the id when there is none. */
    public String source() {
        return metadata.getOrDefault(SOURCE, id);
    }
}
