/** The {@code rag-agent} example: ingest a few bundled documents and let an agent answer from them, citing sources. */
package dev.miu.rag.example;
