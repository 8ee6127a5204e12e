package dev.miu.rag;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Named collections of documents with vectors, searchable by vector, keywords or both. Writes are durable when
 * the method returns. Collection names are 1-64 letters, digits, '_', '-' or '.', not starting with '.'.
 */
public interface VectorStore extends AutoCloseable {

    /**
     * Creates the collection for vectors from {@code embedder} of length {@code dimensions}, or checks that an
     * existing one was made for the same embedder. A mismatch is a {@link RagException} naming both.
     */
    CollectionInfo open(String collection, String embedder, int dimensions);

    /** The collection's description, or empty when it does not exist. */
    Optional<CollectionInfo> info(String collection);

    /** Every collection, by name. */
    List<CollectionInfo> collections();

    /** Adds documents, replacing any with the same id. */
    void upsert(String collection, List<EmbeddedDocument> documents);

    /** Removes documents by id; returns how many existed. */
    long delete(String collection, Collection<String> ids);

    /** Documents (without vectors) whose metadata has every pair of {@code filter}; at most {@code limit}. */
    List<Document> find(String collection, Map<String, String> filter, int limit);

    /** The best {@code query.k()} documents, best first. */
    List<SearchHit> search(String collection, SearchQuery query);

    @Override
    void close();

    /** Checks a collection name; returns it or throws a {@link RagException} saying what is allowed. */
    static String checkName(String collection) {
        if (collection == null || !collection.matches("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}")) {
            throw new RagException("Bad collection name '" + collection
                    + "': use 1-64 letters, digits, '_', '-' or '.', not starting with '.'");
        }
        return collection;
    }
}
