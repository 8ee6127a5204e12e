package dev.miu.rag;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads files into a collection: text, Markdown and source files as UTF-8, PDFs through Apache PDFBox. A directory
 * is walked (skipping hidden entries and build output such as {@code target/} and {@code node_modules/}) for files
 * with a known extension; a file named directly is read whatever its extension, if it is text. Each file becomes
 * one document whose id is its absolute path, so re-ingesting an unchanged file costs one lookup and no embedding.
 */
public final class Ingester {

    /** Files bigger than this are skipped: they are data, not prose. */
    static final long MAX_FILE_BYTES = 10L * 1024 * 1024;

    static final Set<String> TEXT_EXTENSIONS = Set.of(
            "txt",
            "text",
            "md",
            "markdown",
            "mdx",
            "rst",
            "adoc",
            "asciidoc",
            "org",
            "tex",
            "csv",
            "tsv",
            "log",
            "html",
            "htm",
            "xml",
            "json",
            "yaml",
            "yml",
            "toml",
            "ini",
            "properties",
            "conf",
            "cfg",
            "java",
            "kt",
            "kts",
            "scala",
            "groovy",
            "gradle",
            "py",
            "rb",
            "php",
            "js",
            "mjs",
            "cjs",
            "jsx",
            "ts",
            "tsx",
            "go",
            "rs",
            "c",
            "h",
            "cc",
            "cpp",
            "hpp",
            "cs",
            "swift",
            "m",
            "lua",
            "r",
            "jl",
            "sh",
            "bash",
            "zsh",
            "ps1",
            "sql",
            "css",
            "scss",
            "vue",
            "svelte",
            "proto",
            "graphql",
            "tf",
            "dockerfile",
            "mk",
            "cmake");
    private static final Set<String> SKIPPED_DIRECTORIES =
            Set.of("node_modules", "target", "build", "dist", "out", "__pycache__", "venv", ".venv");

    private final KnowledgeBase knowledge;

    public Ingester(KnowledgeBase knowledge) {
        this.knowledge = knowledge;
    }

    /** Reads every file under {@code paths} into {@code collection}, reporting embedding progress. */
    public IngestReport ingest(String collection, List<Path> paths, IngestProgress progress) {
        if (paths.isEmpty()) {
            throw new RagException("Name at least one file or directory to ingest");
        }
        List<IngestReport.Skipped> skipped = new ArrayList<>();
        Set<Path> files = new LinkedHashSet<>();
        for (Path path : paths) {
            Path p = path.toAbsolutePath().normalize();
            if (Files.isDirectory(p)) {
                walk(p, files);
            } else if (Files.isRegularFile(p)) {
                files.add(p); // named directly: read whatever its extension, if it is text
            } else {
                throw new RagException("No such file or directory: " + path);
            }
        }
        List<SourceDocument> documents = new ArrayList<>();
        for (Path file : files) {
            try {
                if (Files.size(file) > MAX_FILE_BYTES) {
                    skipped.add(new IngestReport.Skipped(
                            file.toString(), "larger than " + MAX_FILE_BYTES / (1024 * 1024) + " MB"));
                    continue;
                }
                String text = read(file);
                if (text == null) {
                    skipped.add(new IngestReport.Skipped(file.toString(), "not UTF-8 text"));
                } else if (text.isBlank()) {
                    skipped.add(new IngestReport.Skipped(file.toString(), "empty"));
                } else {
                    documents.add(new SourceDocument(
                            file.toString(),
                            text,
                            Map.of(
                                    Document.SOURCE,
                                    file.toString(),
                                    "title",
                                    file.getFileName().toString(),
                                    "type",
                                    extension(file).isEmpty() ? "text" : extension(file))));
                }
            } catch (IOException e) {
                skipped.add(new IngestReport.Skipped(file.toString(), "unreadable: " + e.getMessage()));
            }
        }
        StoreResult stored = knowledge.store(collection, documents, progress);
        return new IngestReport(documents.size(), stored, skipped);
    }

    private static void walk(Path dir, Set<Path> files) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    String name = d.getFileName() == null ? "" : d.getFileName().toString();
                    boolean skip = !d.equals(dir) && (name.startsWith(".") || SKIPPED_DIRECTORIES.contains(name));
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    String ext = extension(f);
                    if (attrs.isRegularFile()
                            && !f.getFileName().toString().startsWith(".")
                            && (TEXT_EXTENSIONS.contains(ext) || ext.equals("pdf"))) {
                        files.add(f);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new RagException("Cannot read directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The file's text, or null when it is not UTF-8 text (binary files are not knowledge). */
    static String read(Path file) throws IOException {
        if (extension(file).equals("pdf")) {
            try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
                return new PDFTextStripper().getText(pdf);
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
            if (bytes[i] == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String extension(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.equals("dockerfile") || name.equals("makefile")) {
            return name.equals("dockerfile") ? "dockerfile" : "mk";
        }
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1);
    }
}
