package dev.miu.rag;

import dev.miu.core.json.Json;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolResult;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

import java.util.List;
import java.util.Locale;

/**
 * The {@code search_knowledge} tool: an agent passes a question (and optionally how many passages it wants) and
 * reads back the best passages of one collection, each headed by its source so the answer can cite it.
 */
public final class SearchKnowledgeTool {

    public static final String NAME = "search_knowledge";
    public static final int MAX_K = 20;

    private SearchKnowledgeTool() {}

    /** The tool over {@code collection}, searching by meaning. */
    public static Tool create(KnowledgeBase knowledge, String collection, int defaultK) {
        return create(knowledge, collection, defaultK, SearchMode.VECTOR);
    }

    public static Tool create(KnowledgeBase knowledge, String collection, int defaultK, SearchMode mode) {
        VectorStore.checkName(collection);
        int fallbackK = Math.min(Math.max(1, defaultK), MAX_K);
        JsonObject schema = Json.object()
                .add("type", "object")
                .add(
                        "properties",
                        Json.object()
                                .add(
                                        "query",
                                        Json.object()
                                                .add("type", "string")
                                                .add(
                                                        "description",
                                                        "What to look for, in natural language; a full question works best"))
                                .add(
                                        "k",
                                        Json.object()
                                                .add("type", "integer")
                                                .add("minimum", 1)
                                                .add("maximum", MAX_K)
                                                .add(
                                                        "description",
                                                        "How many passages to return (default " + fallbackK + ")")))
                .add("required", Json.array().add("query"))
                .build();
        String description = "Search the knowledge base '" + collection + "' for passages relevant to a question. "
                + "Returns the best passages with their sources; cite the sources you use in your answer.";
        return Tool.of(NAME, description, schema, (input, context) -> {
            String query = input.getString("query", "").strip();
            if (query.isEmpty()) {
                return ToolResult.error("'query' must not be empty");
            }
            int k = input.get("k") instanceof JsonNumber n ? n.intValue() : fallbackK;
            List<SearchHit> hits;
            try {
                hits = knowledge.search(collection, query, k, java.util.Map.of(), mode);
            } catch (CollectionNotFoundException e) {
                return ToolResult.error(
                        "The knowledge base '" + collection + "' is empty: nothing has been ingested into it");
            }
            return ToolResult.ok(format(collection, query, hits));
        });
    }

    static String format(String collection, String query, List<SearchHit> hits) {
        if (hits.isEmpty()) {
            return "No passages in '" + collection + "' match: " + query;
        }
        var sb = new StringBuilder();
        sb.append(hits.size())
                .append(hits.size() == 1 ? " passage" : " passages")
                .append(" from '")
                .append(collection)
                .append("', best first:\n");
        int i = 1;
        for (SearchHit hit : hits) {
            Document d = hit.document();
            sb.append("\n[").append(i++).append("] source: ").append(d.source());
            String chunk = d.metadata().get(SourceDocument.CHUNK);
            if (chunk != null) {
                sb.append(" (part ").append(Integer.parseInt(chunk) + 1).append(")");
            }
            sb.append(String.format(Locale.ROOT, ", score %.3f%n", hit.score()));
            sb.append(d.text().strip()).append('\n');
        }
        return sb.toString();
    }
}
