package dev.miu.rag;

import dev.miu.core.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The default store: one Apache Lucene index per collection under {@code ROOT/NAME}, holding each document's id,
 * its text (analysed for BM25), its metadata (stored as JSON and indexed term by term for filters) and its vector
 * (an HNSW graph, dot-product similarity on unit vectors). Every write is committed before it returns, so a
 * collection survives restarts and crashes. Lucene's write lock keeps a second process out of an open collection.
 */
public final class LuceneVectorStore implements VectorStore {

    static final String ID = "id";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    static final String META = "meta";
    static final String META_PREFIX = "m.";
    private static final String EMBEDDER_KEY = "miu.embedder";
    private static final String DIMENSIONS_KEY = "miu.dimensions";

    /**
     * Lucene logs a warning on first use that the incubating Vector API is not enabled. miu runs without it on
     * purpose (enabling it makes the JVM print its own warning on every start), so the notice is only noise on the
     * terminal. Held in a field: JUL keeps loggers weakly and would otherwise forget the level.
     */
    @SuppressWarnings("unused") // held, not read
    private static final java.util.logging.Logger VECTORIZATION_LOG =
            quiet("org.apache.lucene.internal.vectorization.VectorizationProvider");

    private static java.util.logging.Logger quiet(String name) {
        var logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    private final Path root;
    private final Analyzer analyzer = Bm25.analyzer();
    private final Map<String, LuceneCollection> open = new ConcurrentHashMap<>();

    public LuceneVectorStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new RagStorageException(
                    "Cannot create the vector store directory " + root + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public CollectionInfo open(String collection, String embedder, int dimensions) {
        VectorStore.checkName(collection);
        if (dimensions < 1 || dimensions > 4096) {
            throw new RagException("Vector length must be 1..4096, got " + dimensions);
        }
        LuceneCollection c = open.computeIfAbsent(collection, name -> openIndex(name, embedder, dimensions));
        if (!c.embedder.equals(embedder) || c.dimensions != dimensions) {
            throw new RagException("Collection '" + collection + "' holds vectors from " + c.embedder + " ("
                    + c.dimensions + " dimensions), not " + embedder + " (" + dimensions + "); use another "
                    + "collection or the embedder it was made with");
        }
        return c.info();
    }

    @Override
    public Optional<CollectionInfo> info(String collection) {
        return existing(collection).map(LuceneCollection::info);
    }

    @Override
    public List<CollectionInfo> collections() {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .map(this::info)
                    .flatMap(Optional::stream)
                    .toList();
        } catch (IOException e) {
            throw new RagStorageException("Cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void upsert(String collection, List<EmbeddedDocument> documents) {
        LuceneCollection c = require(collection);
        for (EmbeddedDocument d : documents) {
            if (d.vector().length != c.dimensions) {
                throw new RagException("Document '" + d.document().id() + "' has a vector of length "
                        + d.vector().length + "; collection '" + collection + "' needs " + c.dimensions);
            }
        }
        c.write(writer -> {
            for (EmbeddedDocument d : documents) {
                writer.updateDocument(new Term(ID, d.document().id()), toLucene(d));
            }
        });
    }

    @Override
    public long delete(String collection, Collection<String> ids) {
        Optional<LuceneCollection> c = existing(collection);
        if (c.isEmpty() || ids.isEmpty()) {
            return 0;
        }
        Query byIds = new TermInSetQuery(ID, ids.stream().map(BytesRef::new).toList());
        long[] count = new long[1];
        c.get().write(writer -> {
            count[0] = c.get().read(searcher -> (long) searcher.count(byIds));
            writer.deleteDocuments(byIds);
        });
        return count[0];
    }

    @Override
    public List<Document> find(String collection, Map<String, String> filter, int limit) {
        Optional<LuceneCollection> c = existing(collection);
        if (c.isEmpty()) {
            return List.of();
        }
        Query query = filter.isEmpty() ? new MatchAllDocsQuery() : filterQuery(filter);
        return c.get().read(searcher -> {
            List<Document> out = new ArrayList<>();
            for (ScoreDoc sd : searcher.search(query, Math.max(1, limit)).scoreDocs) {
                out.add(fromLucene(searcher.storedFields().document(sd.doc)));
            }
            return out;
        });
    }

    @Override
    public List<SearchHit> search(String collection, SearchQuery query) {
        LuceneCollection c = existing(collection)
                .orElseThrow(() -> new CollectionNotFoundException(
                        "No collection named '" + collection + "'" + knownCollections()));
        if (query.vector() != null && query.vector().length != c.dimensions) {
            throw new RagException("The query vector has length " + query.vector().length + "; collection '"
                    + collection + "' holds vectors of length " + c.dimensions + " (from " + c.embedder + ")");
        }
        Query filter = query.filter().isEmpty() ? null : filterQuery(query.filter());
        Query keywords = Bm25.query(analyzer, TEXT, query.text(), filter);
        return c.read(searcher -> new HybridRanker(searcher, VECTOR).rank(query, filter, keywords)).stream()
                .map(r -> new SearchHit(fromLucene(r.stored()), r.score(), r.vectorScore(), r.keywordScore()))
                .toList();
    }

    private String knownCollections() {
        List<String> names = collections().stream().map(CollectionInfo::name).toList();
        return names.isEmpty()
                ? " (there are none yet; ingest some documents first)"
                : " (known: " + String.join(", ", names) + ")";
    }

    private static Query filterQuery(Map<String, String> filter) {
        var b = new BooleanQuery.Builder();
        filter.forEach((k, v) -> b.add(new TermQuery(new Term(META_PREFIX + k, v)), BooleanClause.Occur.FILTER));
        return b.build();
    }

    private static org.apache.lucene.document.Document toLucene(EmbeddedDocument embedded) {
        Document d = embedded.document();
        var doc = new org.apache.lucene.document.Document();
        doc.add(new StringField(ID, d.id(), Field.Store.YES));
        doc.add(new TextField(TEXT, d.text(), Field.Store.YES));
        doc.add(new StoredField(META, Json.write(Json.toJson(d.metadata()))));
        d.metadata().forEach((k, v) -> doc.add(new StringField(META_PREFIX + k, v, Field.Store.NO)));
        doc.add(new KnnFloatVectorField(
                VECTOR, Embedder.normalize(embedded.vector().clone()), VectorSimilarityFunction.DOT_PRODUCT));
        return doc;
    }

    static Document fromLucene(org.apache.lucene.document.Document doc) {
        JsonObject meta = Json.parseObject(doc.get(META));
        Map<String, String> metadata = new java.util.LinkedHashMap<>();
        meta.forEach((k, v) -> metadata.put(k, v instanceof JsonString s ? s.getString() : v.toString()));
        return new Document(doc.get(ID), doc.get(TEXT), metadata);
    }

    private LuceneCollection require(String collection) {
        return existing(collection)
                .orElseThrow(() ->
                        new RagException("No collection named '" + collection + "'; open it with an embedder first"));
    }

    /** The collection if it exists on disk (opening its index if this process has not yet). */
    private Optional<LuceneCollection> existing(String collection) {
        VectorStore.checkName(collection);
        LuceneCollection c = open.get(collection);
        if (c != null) {
            return Optional.of(c);
        }
        Path dir = root.resolve(collection);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (var d = FSDirectory.open(dir)) {
            if (!DirectoryReader.indexExists(d)) {
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new RagStorageException("Cannot read collection '" + collection + "': " + e.getMessage(), e);
        }
        return Optional.of(open.computeIfAbsent(collection, name -> openIndex(name, null, 0)));
    }

    /** Opens (or, given an embedder, creates) a collection's index; reads its embedder from the commit data. */
    private LuceneCollection openIndex(String name, String embedder, int dimensions) {
        Path dir = root.resolve(name);
        FSDirectory directory = null;
        try {
            Files.createDirectories(dir);
            directory = FSDirectory.open(dir);
            boolean exists = DirectoryReader.indexExists(directory);
            if (!exists && embedder == null) {
                throw new RagException("No collection named '" + name + "'");
            }
            var config = new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            IndexWriter writer = new IndexWriter(directory, config);
            if (!exists) {
                writer.setLiveCommitData(Map.of(EMBEDDER_KEY, embedder, DIMENSIONS_KEY, String.valueOf(dimensions))
                        .entrySet());
                writer.commit();
            }
            Map<String, String> data = new java.util.HashMap<>();
            writer.getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
            String storedEmbedder = data.get(EMBEDDER_KEY);
            String storedDims = data.get(DIMENSIONS_KEY);
            if (storedEmbedder == null || storedDims == null) {
                writer.close();
                throw new RagStorageException("Directory " + dir + " is a Lucene index but not a miu collection");
            }
            return new LuceneCollection(
                    name,
                    directory,
                    writer,
                    new SearcherManager(writer, null),
                    storedEmbedder,
                    Integer.parseInt(storedDims));
        } catch (LockObtainFailedException e) {
            closeQuietly(directory);
            throw new RagStorageException(
                    "Collection '" + name + "' is in use by another miu process (" + dir + ")", e);
        } catch (IOException | UncheckedIOException e) {
            closeQuietly(directory);
            throw new RagStorageException("Cannot open collection '" + name + "' at " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(directory);
            throw e;
        }
    }

    private static void closeQuietly(FSDirectory directory) {
        if (directory != null) {
            try {
                directory.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }

    @Override
    public void close() {
        open.values().forEach(LuceneCollection::close);
        open.clear();
    }
}
