package dev.miu.rag;

/**
 * What a collection holds: its name, the embedder its vectors came from and their length, and how many documents
 * (chunks) it has. A collection only ever takes vectors from one embedder: mixing models would make scores meaningless.
 */
public record CollectionInfo(String name, String embedder, int dimensions, long documents) {}
