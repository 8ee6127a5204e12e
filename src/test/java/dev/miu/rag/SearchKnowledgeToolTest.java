package dev.miu.rag;

import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.agent.Response;
import dev.miu.core.message.StopReason;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.Providers;
import dev.miu.core.tool.ToolRegistry;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The search_knowledge tool inside real agent turns against the scripted LLM server. */
@Timeout(60)
class SearchKnowledgeToolTest {

    @TempDir
    static Path dir;

    static KnowledgeBase knowledge;

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    @BeforeAll
    static void setUp() {
        knowledge = new KnowledgeBase(new MiniLmEmbedder(), new LuceneVectorStore(dir), new Chunker());
        knowledge.store(
                "handbook",
                List.of(
                        new SourceDocument(
                                "leave",
                                "Staff receive 27 days of paid holiday each year.",
                                Map.of("source", "handbook/leave.md")),
                        new SourceDocument(
                                "travel",
                                "Trains are booked for journeys under five hours.",
                                Map.of("source", "handbook/travel.md")),
                        new SourceDocument(
                                "security",
                                "Laptops lock after five minutes without input.",
                                Map.of("source", "handbook/security.md"))),
                IngestProgress.NONE);
    }

    @AfterAll
    static void tearDown() {
        knowledge.close();
    }

    ReActAgent agent(String provider) {
        var p = new Providers(llm.settings(), ProviderOptions.DEFAULT).create(ModelSpec.parse(provider + ":scripted"));
        return new ReActAgent(
                AgentConfig.of("kb", provider + ":scripted"),
                p,
                ToolRegistry.of(SearchKnowledgeTool.create(knowledge, "handbook", 2)));
    }

    @Test
    void theAgentSearchesAndAnswersFromThePassages() {
        llm.enqueue(
                Reply.toolCall("toolu_1", "search_knowledge", "{\"query\":\"vacation allowance\",\"k\":1}"),
                Reply.text("You get 27 days [handbook/leave.md]."));
        Response response = agent("anthropic").run("How many days off do I get?");

        assertEquals(StopReason.END_TURN, response.stopReason());
        assertEquals("You get 27 days [handbook/leave.md].", response.text());
        llm.assertAllConsumed();
        JsonObject first = llm.requests().get(0).json();
        JsonObject tool = first.getJsonArray("tools").getJsonObject(0);
        assertEquals("search_knowledge", tool.getString("name"));
        assertEquals(
                List.of("query"),
                tool
                        .getJsonObject("input_schema")
                        .getJsonArray("required")
                        .getValuesAs(jakarta.json.JsonString.class)
                        .stream()
                        .map(jakarta.json.JsonString::getString)
                        .toList());

        JsonObject result = toolResult(llm.requests().get(1).json());
        assertFalse(result.getBoolean("is_error"));
        String passages = result.getString("content");
        assertTrue(passages.startsWith("1 passage from 'handbook'"), passages);
        assertTrue(passages.contains("source: handbook/leave.md"), passages);
        assertTrue(passages.contains("27 days of paid holiday"), passages);
        assertFalse(passages.contains("Trains"), "k=1 returns one passage: " + passages);
    }

    @Test
    void worksOverTheOpenAiWireToo() {
        llm.enqueue(
                Reply.toolCall("call_1", "search_knowledge", "{\"query\":\"what happens to an idle computer\"}"),
                Reply.text("It locks after five minutes [handbook/security.md]."));
        Response response = agent("openai").run("When does my laptop lock?");
        assertEquals("It locks after five minutes [handbook/security.md].", response.text());
        llm.assertAllConsumed();
        String body = llm.requests().get(1).body();
        assertTrue(body.contains("source: handbook/security.md"), body);
        assertTrue(
                body.indexOf("handbook/security.md") < body.indexOf("handbook/travel.md"),
                "best passage first (k defaults to 2)");
    }

    @Test
    void badArgumentsAndEmptyCollectionsAreResultsTheModelReads() {
        llm.enqueue(
                Reply.toolCall("toolu_1", "search_knowledge", "{\"query\":\"holiday\",\"k\":50}"),
                Reply.text("Sorry."));
        agent("anthropic").run("How much holiday?");
        JsonObject result = toolResult(llm.requests().get(1).json());
        assertTrue(result.getBoolean("is_error"));
        assertTrue(result.getString("content").contains("k"), result.getString("content"));
        llm.assertAllConsumed();

        llm.reset();
        var p = new Providers(llm.settings(), ProviderOptions.DEFAULT).create(ModelSpec.parse("anthropic:scripted"));
        var empty = new ReActAgent(
                AgentConfig.of("kb", "anthropic:scripted"),
                p,
                ToolRegistry.of(SearchKnowledgeTool.create(knowledge, "never-filled", 3)));
        llm.enqueue(
                Reply.toolCall("toolu_2", "search_knowledge", "{\"query\":\"anything\"}"),
                Reply.text("Nothing there."));
        empty.run("Anything?");
        JsonObject missing = toolResult(llm.requests().get(1).json());
        assertTrue(missing.getBoolean("is_error"));
        assertTrue(missing.getString("content").contains("never-filled"), missing.getString("content"));
        llm.assertAllConsumed();
    }

    /** The tool_result block of the last (user) message of an Anthropic request. */
    static JsonObject toolResult(JsonObject request) {
        var messages = request.getJsonArray("messages");
        var content = messages.getJsonObject(messages.size() - 1).getJsonArray("content");
        return content.getJsonObject(0);
    }
}
