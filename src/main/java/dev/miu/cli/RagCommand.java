package dev.miu.cli;

import dev.miu.config.MiuConfig;
import dev.miu.core.ConfigurationException;
import dev.miu.core.tool.ToolRegistry;
import dev.miu.rag.CollectionInfo;
import dev.miu.rag.Document;
import dev.miu.rag.Embedders;
import dev.miu.rag.IngestProgress;
import dev.miu.rag.IngestReport;
import dev.miu.rag.Ingester;
import dev.miu.rag.KnowledgeBase;
import dev.miu.rag.RagSettings;
import dev.miu.rag.SearchHit;
import dev.miu.rag.SearchKnowledgeTool;
import dev.miu.rag.SearchMode;
import dev.miu.rag.SourceDocument;
import dev.miu.rag.StoreResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code miu rag ingest|search|list}: fill a knowledge collection from files and search it. */
@Command(
        name = "rag",
        mixinStandardHelpOptions = true,
        description = "Ingest files into a knowledge collection (stored under MIU_DATA_DIR/rag) and search it.",
        subcommands = {RagCommand.Ingest.class, RagCommand.Search.class, RagCommand.ListCollections.class})
public final class RagCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    MiuCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    RagSettings settings(MiuConfig config) {
        return config.rag();
    }

    /** The configuration from {@code --config} given after the subcommand, else before {@code rag}, else the default. */
    MiuConfig config(Path configFile) {
        return MiuConfig.load(configFile != null ? configFile : parent.configFile, parent.environment);
    }

    @Command(
            name = "ingest",
            mixinStandardHelpOptions = true,
            description = "Read text, Markdown, source and PDF files (directories recursively), split them into "
                    + "overlapping chunks, embed and store them. Unchanged files are skipped.")
    static final class Ingest implements Callable<Integer> {
        @CommandLine.ParentCommand
        RagCommand rag;

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories to ingest.")
        List<Path> paths;

        @Option(
                names = "--collection",
                paramLabel = "NAME",
                description = "Collection to fill (default: rag.collection, else 'default').")
        String collection;

        @Option(names = "--config", paramLabel = "FILE", description = OptionText.CONFIG)
        Path configFile;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            MiuConfig config = rag.config(configFile);
            RagSettings settings = rag.settings(config);
            String name = collectionName(collection, settings);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            long start = System.nanoTime();
            try (KnowledgeBase knowledge = Embedders.knowledgeBase(settings, config.providers())) {
                IngestReport report = new Ingester(knowledge).ingest(name, paths, progressBar(err));
                StoreResult s = report.stored();
                out.printf(
                        Locale.ROOT,
                        "Collection '%s': %d file%s read, %d added, %d updated, %d unchanged; "
                                + "%d chunks embedded in %.1f s (%s)%n",
                        name,
                        report.files(),
                        report.files() == 1 ? "" : "s",
                        s.added(),
                        s.updated(),
                        s.unchanged(),
                        s.chunks(),
                        (System.nanoTime() - start) / 1e9,
                        knowledge.embedder().id());
                for (IngestReport.Skipped skipped : report.skipped()) {
                    out.println("  skipped " + skipped.path() + ": " + skipped.reason());
                }
            }
            return 0;
        }

        /**
         * Whether miu runs on a terminal. From Java 22 {@code System.console()} answers even when the output is
         * redirected, and {@code Console.isTerminal()} (not in Java 21, hence the lookup) says whether it is one.
         */
        @SuppressWarnings("SystemConsoleNull") // null still means no terminal on Java 21
        private static boolean onTerminal() {
            java.io.Console console = System.console();
            if (console == null) {
                return false;
            }
            try {
                return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException e) {
                return true; // Java 21: a console is a terminal
            }
        }

        /** Draws {@code [#####.....] 12/40 chunks} on the terminal; prints nothing when stderr is not one. */
        private static IngestProgress progressBar(PrintWriter err) {
            if (!onTerminal()) {
                return IngestProgress.NONE;
            }
            return (done, total) -> {
                if (total == 0) {
                    return;
                }
                int width = 30;
                int filled = (int) ((long) done * width / total);
                err.print("\r[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total
                        + " chunks");
                if (done == total) {
                    err.print("\r" + " ".repeat(width + 30) + "\r");
                }
                err.flush();
            };
        }
    }

    @Command(
            name = "search",
            mixinStandardHelpOptions = true,
            description = "Print the passages that best match a query, with scores and sources.")
    static final class Search implements Callable<Integer> {
        @CommandLine.ParentCommand
        RagCommand rag;

        @Parameters(index = "0", paramLabel = "QUERY", description = "What to look for.")
        String query;

        @Option(
                names = "--collection",
                paramLabel = "NAME",
                description = "Collection to search (default: rag.collection, else 'default').")
        String collection;

        @Option(names = "--config", paramLabel = "FILE", description = OptionText.CONFIG)
        Path configFile;

        @Option(names = "-k", paramLabel = "N", description = "How many passages (default: rag.top-k, 5).")
        Integer k;

        @Option(
                names = "--search-mode",
                paramLabel = "MODE",
                description = "vector, hybrid or keyword (default: rag.search-mode, vector).")
        String mode;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (query.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "The query is empty");
            }
            MiuConfig config = rag.config(configFile);
            RagSettings settings = rag.settings(config);
            String name = collectionName(collection, settings);
            SearchMode searchMode = mode == null ? settings.searchMode() : RagSettings.mode(mode);
            PrintWriter out = spec.commandLine().getOut();
            try (KnowledgeBase knowledge = Embedders.knowledgeBase(settings, config.providers())) {
                requireCollection(knowledge, name);
                List<SearchHit> hits =
                        knowledge.search(name, query, k == null ? settings.topK() : k, Map.of(), searchMode);
                if (hits.isEmpty()) {
                    out.println("No passages match.");
                    return 1;
                }
                int i = 1;
                for (SearchHit hit : hits) {
                    Document d = hit.document();
                    String part = d.metadata().containsKey(SourceDocument.CHUNK)
                            ? " (part " + (Integer.parseInt(d.metadata().get(SourceDocument.CHUNK)) + 1) + ")"
                            : "";
                    out.printf(Locale.ROOT, "%d. %.3f  %s%s%n", i++, hit.score(), d.source(), part);
                    out.println("   " + preview(d.text()));
                }
            }
            return 0;
        }

        private static String preview(String text) {
            String flat = text.replaceAll("\\s+", " ").strip();
            return flat.length() <= 240 ? flat : flat.substring(0, 240) + "…";
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the collections with their chunk counts and embedders.")
    static final class ListCollections implements Callable<Integer> {
        @CommandLine.ParentCommand
        RagCommand rag;

        @Option(names = "--config", paramLabel = "FILE", description = OptionText.CONFIG)
        Path configFile;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            RagSettings settings = rag.settings(rag.config(configFile));
            PrintWriter out = spec.commandLine().getOut();
            try (var store = new dev.miu.rag.LuceneVectorStore(settings.storeDir())) {
                List<CollectionInfo> all = store.collections();
                if (all.isEmpty()) {
                    out.println("No collections yet in " + settings.storeDir() + "; add one with: miu rag ingest PATH");
                }
                for (CollectionInfo c : all) {
                    out.printf(
                            Locale.ROOT,
                            "%-24s %8d chunks  %s (%d dimensions)%n",
                            c.name(),
                            c.documents(),
                            c.embedder(),
                            c.dimensions());
                }
            }
            return 0;
        }
    }

    static String collectionName(String flag, RagSettings settings) {
        if (flag != null) {
            return dev.miu.rag.VectorStore.checkName(flag);
        }
        return settings.collection() != null ? settings.collection() : RagSettings.DEFAULT_COLLECTION;
    }

    static void requireCollection(KnowledgeBase knowledge, String name) {
        if (knowledge.store().info(name).isEmpty()) {
            throw new ConfigurationException("No collection named '" + name + "' in " + "the RAG store; "
                    + "fill it first with: miu rag ingest PATH --collection " + name);
        }
        knowledge.openCollection(name); // checks it was made with the configured embedder
    }

    /**
     * For {@code miu -q}: when a collection is named ({@code --collection}, else {@code rag.collection}), opens the
     * knowledge base and registers {@code search_knowledge} in {@code tools}. The result closes what it opened.
     */
    static Opened addKnowledgeTool(MiuConfig config, String flag, ToolRegistry tools) {
        RagSettings settings = config.rag();
        String name = flag != null ? dev.miu.rag.VectorStore.checkName(flag) : settings.collection();
        if (name == null) {
            return () -> {};
        }
        KnowledgeBase knowledge = Embedders.knowledgeBase(settings, config.providers());
        try {
            requireCollection(knowledge, name);
        } catch (RuntimeException e) {
            knowledge.close();
            throw e;
        }
        tools.register(SearchKnowledgeTool.create(knowledge, name, settings.topK(), settings.searchMode()));
        return knowledge::close;
    }

    /** Something opened for a command that must be closed after it, without a checked exception. */
    interface Opened extends AutoCloseable {
        @Override
        void close();
    }
}
