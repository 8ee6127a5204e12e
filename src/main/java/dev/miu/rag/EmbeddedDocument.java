package dev.miu.rag;

import java.util.Objects;

/** A document with its vector, ready for a {@link VectorStore}. */
public record EmbeddedDocument(Document document, float[] vector) {
    public EmbeddedDocument {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(vector, "vector");
    }
}
