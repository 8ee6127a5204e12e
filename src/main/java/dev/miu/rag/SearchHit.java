package dev.miu.rag;

/**
 * One search result.
 *
 * @param score        the ranking score (higher is better): cosine similarity, normalised BM25, or their blend
 * @param vectorScore  cosine similarity to the query, or NaN when the document was found by keywords alone
 * @param keywordScore the raw BM25 score, or 0 when no query word matched
 */
public record SearchHit(Document document, double score, double vectorScore, double keywordScore) {}
