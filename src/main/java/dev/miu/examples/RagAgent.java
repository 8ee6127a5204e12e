package dev.miu.examples;

import dev.miu.core.provider.ModelSpec;
import dev.miu.rag.Chunker;
import dev.miu.rag.RagSettings;
import dev.miu.rag.SearchMode;
import dev.miu.rag.example.RagAgentExample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code miu examples run rag-agent}: the {@link RagAgentExample} with the local embedding model, in a scratch data
 * directory removed afterwards, so the example never touches the user's own collections.
 */
public final class RagAgent implements Example {

    public static void main(String[] args) {
        System.exit(new RagAgent().run(ExampleContext.fromEnvironment()));
    }

    @Override
    public String name() {
        return RagAgentExample.NAME;
    }

    @Override
    public String description() {
        return RagAgentExample.DESCRIPTION + " (local embeddings, no key needed for them)";
    }

    @Override
    public int run(ExampleContext context) {
        ModelSpec model = context.modelSpec();
        Path scratch;
        try {
            scratch = Files.createTempDirectory("miu-rag-agent");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            var rag = new RagSettings(
                    "local",
                    null,
                    scratch.resolve("rag"),
                    Chunker.DEFAULT_MAX_CHARS,
                    Chunker.DEFAULT_OVERLAP_CHARS,
                    5,
                    SearchMode.VECTOR);
            new RagAgentExample(context.provider(model), model.toString(), rag).run(scratch, null, context.out());
            return 0;
        } finally {
            deleteTree(scratch);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a scratch folder left in the temp directory is harmless
        }
    }
}
