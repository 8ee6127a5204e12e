package dev.miu.rag;

import dev.miu.core.agent.Response;
import dev.miu.core.message.StopReason;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.Providers;
import dev.miu.rag.example.RagAgentExample;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rag-agent example end to end: bundled documents ingested, the agent's search answered from them. */
@Timeout(120)
class RagAgentExampleTest {

    @TempDir
    Path data;

    @Test
    void ingestsTheBundledDocumentsAndAnswersWithSources() {
        try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
            var provider = new Providers(llm.settings(), ProviderOptions.DEFAULT)
                    .create(ModelSpec.parse("anthropic:scripted"));
            var settings = new RagSettings("local", null, data.resolve("rag"), 1000, 150, 3, SearchMode.VECTOR);
            var example = new RagAgentExample(provider, "anthropic:scripted", settings);

            llm.enqueue(
                    Reply.toolCall(
                            "toolu_1", "search_knowledge", "{\"query\":\"yearly holiday allowance and carry over\"}"),
                    Reply.text("You get 27 days a year; leftovers last until 31 March [vacation-policy.md]."));
            var out = new StringWriter();
            Response response = example.run(data, null, new PrintWriter(out));

            assertEquals(StopReason.END_TURN, response.stopReason());
            llm.assertAllConsumed();
            String printed = out.toString();
            assertTrue(printed.contains("3 documents (3 new, 0 changed, 0 unchanged)"), printed);
            assertTrue(printed.contains("Question: " + RagAgentExample.DEFAULT_QUESTION), printed);
            assertTrue(printed.contains("-> search_knowledge"), printed);
            assertTrue(printed.contains("[vacation-policy.md]"), printed);
            assertTrue(Files.isRegularFile(data.resolve("examples/rag-agent/vacation-policy.md")));

            JsonObject first = llm.requests().get(0).json();
            assertTrue(
                    first.getString("system").contains("Cite the file name"), "the system prompt asks for citations");
            var messages = llm.requests().get(1).json().getJsonArray("messages");
            String passages = messages.getJsonObject(messages.size() - 1)
                    .getJsonArray("content")
                    .getJsonObject(0)
                    .getString("content");
            assertTrue(
                    passages.indexOf("vacation-policy.md") < passages.indexOf("expenses.md")
                            || !passages.contains("expenses.md"),
                    "the policy on leave ranks first: " + passages);
            assertTrue(passages.contains("27 days of paid vacation"), passages);

            // a second run finds the documents unchanged and embeds nothing
            llm.reset();
            llm.enqueue(Reply.text("Again: 27 days [vacation-policy.md]."));
            var again = new StringWriter();
            example.run(data, "How many vacation days?", new PrintWriter(again));
            assertTrue(again.toString().contains("(0 new, 0 changed, 3 unchanged), 0 chunks"), again.toString());
            llm.assertAllConsumed();
        }
    }
}
