package dev.miu.rag;

import java.util.List;

/**
 * Turns text into vectors whose closeness follows meaning. Implementations return unit-length vectors when they
 * can, so cosine similarity is a dot product. Safe for use from several threads.
 */
public interface Embedder extends AutoCloseable {

    /** Names the model, e.g. {@code local:all-minilm-l6-v2-q}; a collection remembers it so vectors never mix. */
    String id();

    /** Length of every vector this embedder returns. */
    int dimensions();

    /** One vector per text, in order. Texts must not be blank. */
    List<float[]> embed(List<String> texts);

    default float[] embed(String text) {
        return embed(List.of(text)).getFirst();
    }

    /** How many texts {@link #embed(List)} should get at once for good throughput. */
    default int batchSize() {
        return 16;
    }

    @Override
    default void close() {}

    /** Refuses a null or blank text, naming its position: no embedder can give it a meaningful vector. */
    static void requireTexts(List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null || texts.get(i).isBlank()) {
                throw new RagException("Cannot embed an empty text (item " + i + ")");
            }
        }
    }

    /** Scales {@code v} to unit length in place (a zero vector stays zero) and returns it. */
    static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        double norm = Math.sqrt(sum);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / norm);
            }
        }
        return v;
    }
}
