package dev.miu.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code miu rag ingest|search|list} and {@code miu --collection} through the real command line. */
@Timeout(120)
class RagCommandTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    Run miu(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cli = MiuCommandLine.create();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Path config() throws IOException {
        Path config = tmp.resolve("app.yaml");
        Files.writeString(config, """
                data-dir: %s
                agent:
                  model: ollama:never-called
                rag:
                  chunk-size: 400
                  chunk-overlap: 50
                """.formatted(tmp.resolve("data")));
        return config;
    }

    @Test
    void ingestSearchAndList() throws IOException {
        Path config = config();
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("boats.md"), "# Sailing\n\nA sloop has a single mast and a fore-and-aft rig.");
        Files.writeString(docs.resolve("bread.txt"), "Knead the dough for ten minutes, then let it rise for an hour.");

        Run ingest = miu("--config", config.toString(), "rag", "ingest", docs.toString(), "--collection", "kb");
        assertEquals(0, ingest.code(), ingest.err());
        assertTrue(
                ingest.out()
                        .contains("Collection 'kb': 2 files read, 2 added, 0 updated, 0 unchanged; 2 chunks embedded"),
                ingest.out());

        Run again = miu("--config", config.toString(), "rag", "ingest", docs.toString(), "--collection", "kb");
        assertTrue(again.out().contains("0 added, 0 updated, 2 unchanged; 0 chunks embedded"), again.out());

        Run search = miu(
                "--config",
                config.toString(),
                "rag",
                "search",
                "How do I make a loaf?",
                "--collection",
                "kb",
                "-k",
                "1");
        assertEquals(0, search.code(), search.err());
        assertTrue(search.out().startsWith("1. 0."), search.out());
        assertTrue(
                search.out().contains("bread.txt (part 1)") && search.out().contains("Knead the dough"), search.out());
        assertTrue(!search.out().contains("boats.md"), search.out());

        Run list = miu("--config", config.toString(), "rag", "list");
        assertTrue(
                list.out().matches("(?s)kb\\s+2 chunks\\s+local:all-minilm-l6-v2-q \\(384 dimensions\\).*"),
                list.out());
        assertTrue(Files.isDirectory(tmp.resolve("data/rag/kb")), "stored under the data directory");
    }

    @Test
    void clearErrors() throws IOException {
        Path config = config();
        Run missing = miu("--config", config.toString(), "rag", "search", "anything", "--collection", "nothing-here");
        assertEquals(ErrorHandler.CONFIG_ERROR, missing.code());
        assertTrue(
                missing.err().contains("No collection named 'nothing-here'")
                        && missing.err().contains("miu rag ingest"),
                missing.err());

        Run badName = miu("--config", config.toString(), "rag", "ingest", tmp.toString(), "--collection", "../escape");
        assertEquals(1, badName.code());
        assertTrue(badName.err().contains("Bad collection name"), badName.err());

        Run noFile = miu(
                "--config",
                config.toString(),
                "rag",
                "ingest",
                tmp.resolve("absent").toString());
        assertTrue(noFile.err().contains("No such file or directory"), noFile.err());

        Run askWithoutCollection = miu("--config", config.toString(), "--collection", "nothing-here", "-q", "hello");
        assertEquals(ErrorHandler.CONFIG_ERROR, askWithoutCollection.code());
        assertTrue(
                askWithoutCollection.err().contains("No collection named 'nothing-here'"), askWithoutCollection.err());

        Run badMode = miu("--config", config.toString(), "rag", "search", "x", "--search-mode", "psychic");
        assertTrue(badMode.code() != 0 && badMode.err().contains("search mode"), badMode.err());
    }
}
