package dev.miu.rag;

/** Reports embedding progress: called after each batch with chunks embedded so far and the total to embed. */
@FunctionalInterface
public interface IngestProgress {

    IngestProgress NONE = (done, total) -> {};

    void embedded(int done, int total);
}
