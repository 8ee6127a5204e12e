package dev.miu.rag;

/** A search or read named a collection that does not exist (HTTP 404 in the studio). */
public class CollectionNotFoundException extends RagException {
    public CollectionNotFoundException(String message) {
        super(message);
    }
}
