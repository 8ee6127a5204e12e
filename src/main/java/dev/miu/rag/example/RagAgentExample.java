package dev.miu.rag.example;

import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.agent.Response;
import dev.miu.core.provider.Provider;
import dev.miu.core.tool.ToolRegistry;
import dev.miu.rag.Embedders;
import dev.miu.rag.IngestReport;
import dev.miu.rag.Ingester;
import dev.miu.rag.KnowledgeBase;
import dev.miu.rag.RagException;
import dev.miu.rag.RagSettings;
import dev.miu.rag.SearchKnowledgeTool;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code rag-agent} example: writes three bundled policy documents of a made-up company to
 * {@code MIU_DATA_DIR/examples/rag-agent}, ingests them into the {@value #COLLECTION} collection (embedding runs
 * in-process; a second run finds them unchanged), and asks an agent with the {@code search_knowledge} tool a
 * question it can only answer from them. The agent is told to cite the files it used.
 */
public final class RagAgentExample {

    public static final String NAME = "rag-agent";
    public static final String DESCRIPTION = "Ingest bundled documents and answer a question from them, citing sources";
    public static final String COLLECTION = "rag-agent-example";
    public static final String DEFAULT_QUESTION =
            "How much paid time off do I get each year, and how late can I use leftover days?";
    static final List<String> DOCUMENTS = List.of("vacation-policy.md", "expenses.md", "security.md");
    static final String SYSTEM_PROMPT = """
            You answer questions about Larkspur Robotics using only its knowledge base. Call search_knowledge before \
            answering. Cite the file name of every source you use in square brackets, e.g. [expenses.md]. If the \
            passages do not contain the answer, say so instead of guessing.""";

    private final Provider provider;
    private final String model;
    private final RagSettings rag;

    /**
     * @param model the model spec the provider serves, e.g. {@code anthropic:claude-sonnet-4-5}
     * @param rag   where the collection lives and which embedder fills it
     */
    public RagAgentExample(Provider provider, String model, RagSettings rag) {
        this.provider = provider;
        this.model = model;
        this.rag = rag.withCollection(COLLECTION);
    }

    /** Ingests the bundled documents, then streams the agent's answer to {@code question} (null: the default one). */
    public Response run(Path dataDir, String question, PrintWriter out) {
        String q = question == null || question.isBlank() ? DEFAULT_QUESTION : question;
        Path docs = writeDocuments(dataDir.resolve("examples").resolve(NAME));
        try (KnowledgeBase knowledge = Embedders.knowledgeBase(rag, dev.miu.core.provider.ProviderSettings.NONE)) {
            IngestReport report = new Ingester(knowledge).ingest(COLLECTION, List.of(docs), (done, total) -> {});
            out.printf(
                    Locale.ROOT,
                    "Knowledge base '%s': %d documents (%d new, %d changed, %d unchanged), %d chunks embedded with %s%n",
                    COLLECTION,
                    report.files(),
                    report.stored().added(),
                    report.stored().updated(),
                    report.stored().unchanged(),
                    report.stored().chunks(),
                    knowledge.embedder().id());
            out.println("Question: " + q);
            out.flush();
            var tools =
                    ToolRegistry.of(SearchKnowledgeTool.create(knowledge, COLLECTION, rag.topK(), rag.searchMode()));
            var agent = new ReActAgent(AgentConfig.of(NAME, model).withSystemPrompt(SYSTEM_PROMPT), provider, tools);
            Response response = agent.stream(q, event -> {
                switch (event) {
                    case AgentEvent.TextDelta d -> out.print(d.text());
                    case AgentEvent.ToolCall c -> out.println("-> " + c.name() + " " + c.input());
                    case AgentEvent.ToolResult r ->
                        out.println("<- " + (r.isError() ? "error: " : "")
                                + r.output().lines().findFirst().orElse(""));
                    default -> {}
                }
                out.flush();
            });
            out.println();
            out.flush();
            return response;
        }
    }

    /** Copies the bundled documents out of the jar so they are ordinary files with paths to cite. */
    static Path writeDocuments(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String name : DOCUMENTS) {
                try (InputStream in = RagAgentExample.class.getResourceAsStream("docs/" + name)) {
                    if (in == null) {
                        throw new RagException("Bundled example document " + name + " is missing");
                    }
                    Path target = dir.resolve(name);
                    byte[] bytes = in.readAllBytes();
                    if (!Files.exists(target) || !java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
                        Files.write(target, bytes);
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new RagException("Cannot write the example documents to " + dir + ": " + e.getMessage(), e);
        }
    }
}
