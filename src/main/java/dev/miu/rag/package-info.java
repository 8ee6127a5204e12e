/**
 * Retrieval-augmented generation: turn files and documents into embedded chunks in a persistent vector store,
 * search them by meaning (and keywords), and hand an agent a {@code search_knowledge} tool.
 * <p>
 * {@link dev.miu.rag.Embedder} and {@link dev.miu.rag.VectorStore} are the two seams. The defaults need no network
 * and no key: {@link dev.miu.rag.MiniLmEmbedder} runs the all-MiniLM-L6-v2 sentence model in-process with ONNX
 * Runtime, and {@link dev.miu.rag.LuceneVectorStore} keeps HNSW vectors and BM25 text under {@code MIU_DATA_DIR/rag}.
 * {@link dev.miu.rag.KnowledgeBase} ties them to the {@link dev.miu.rag.Chunker} and {@link dev.miu.rag.Ingester}.
 */
package dev.miu.rag;
