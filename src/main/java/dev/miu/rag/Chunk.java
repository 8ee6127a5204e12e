package dev.miu.rag;

/** One piece of a split text: its position in the text's sequence of chunks and its words. */
public record Chunk(int index, String text) {}
