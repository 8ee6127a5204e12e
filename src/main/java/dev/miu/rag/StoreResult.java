package dev.miu.rag;

/**
 * What storing source documents did.
 *
 * @param added     documents new to the collection
 * @param updated   documents whose text changed and were re-embedded
 * @param unchanged documents skipped because the same text is already stored
 * @param chunks    chunks embedded and written
 */
public record StoreResult(int added, int updated, int unchanged, int chunks) {}
