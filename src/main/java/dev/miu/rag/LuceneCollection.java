package dev.miu.rag;

import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/** One open Lucene collection: its writer, a searcher manager refreshed after every commit, and its embedder. */
final class LuceneCollection {

    @FunctionalInterface
    interface WriteAction {
        void apply(IndexWriter writer) throws IOException;
    }

    @FunctionalInterface
    interface ReadAction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    final String name;
    final String embedder;
    final int dimensions;
    private final FSDirectory directory;
    private final IndexWriter writer;
    final SearcherManager manager;
    private final ReentrantLock writeLock = new ReentrantLock();

    LuceneCollection(
            String name,
            FSDirectory directory,
            IndexWriter writer,
            SearcherManager manager,
            String embedder,
            int dimensions) {
        this.name = name;
        this.directory = directory;
        this.writer = writer;
        this.manager = manager;
        this.embedder = embedder;
        this.dimensions = dimensions;
    }

    CollectionInfo info() {
        long count = read(searcher -> (long) searcher.getIndexReader().numDocs());
        return new CollectionInfo(name, embedder, dimensions, count);
    }

    /** Runs a change and commits it; on failure rolls back to the last commit so nothing half-written stays. */
    void write(WriteAction action) {
        writeLock.lock();
        try {
            action.apply(writer);
            writer.commit();
            manager.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new RagStorageException("Cannot write to collection '" + name + "': " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    <T> T read(ReadAction<T> action) {
        try {
            IndexSearcher searcher = manager.acquire();
            try {
                return action.apply(searcher);
            } finally {
                manager.release(searcher);
            }
        } catch (IOException e) {
            throw new RagStorageException("Cannot read collection '" + name + "': " + e.getMessage(), e);
        }
    }

    void close() {
        try {
            manager.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            // nothing uncommitted is lost: every write commits before it returns
        }
    }
}
