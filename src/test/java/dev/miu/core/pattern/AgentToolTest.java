package dev.miu.core.pattern;

import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.agent.Response;
import dev.miu.core.message.Message;
import dev.miu.core.message.Usage;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.Providers;
import dev.miu.core.provider.RetryPolicy;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolRegistry;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An agent called as a tool inside another agent's turn: its run shows in the caller's stream; its answer is the result. */
@Timeout(30)
class AgentToolTest {

    @RegisterExtension
    final ScriptedLlmServer server = ScriptedLlmServer.start();

    final List<AgentEvent> events = new CopyOnWriteArrayList<>();

    private Agent writerAsking(Agent helper) {
        var providers = new Providers(server.settings(), ProviderOptions.DEFAULT.withRetry(RetryPolicy.NONE));
        return new ReActAgent(
                AgentConfig.of("writer", "anthropic:claude-test"),
                providers.create(ModelSpec.parse("anthropic:claude-test")),
                ToolRegistry.of(AgentTool.of(helper, "Finds facts and cites them")));
    }

    @Test
    void theCallersStreamShowsTheNestedRunAndTheToolResultIsItsAnswer() {
        server.enqueue(
                Reply.toolCall("call-1", "fact-finder", "{\"task\":\"How many hills has Lisbon?\"}")
                        .withUsage(50, 10),
                Reply.text("Seven hills.").withUsage(20, 3),
                Reply.text("Lisbon has seven hills.").withUsage(70, 6));
        Agent writer = writerAsking(TestAgents.scripted(server, "fact-finder", "openai:gpt-test"));

        Response response =
                writer.stream(List.of(Message.user("Tell me about Lisbon")), ToolContext.current(), events::add);

        assertEquals(
                List.of(
                        "usage",
                        "call fact-finder",
                        "start fact-finder",
                        "text fact-finder",
                        "usage fact-finder",
                        "end fact-finder end_turn",
                        "result fact-finder Seven hills.",
                        "text",
                        "usage",
                        "done end_turn"),
                EventLog.outline(events));
        assertEquals("Lisbon has seven hills.", response.text());
        assertEquals(new Usage(140, 19), response.usage(), "the caller's usage includes the agent it called");
        JsonObject tool = server.requests().get(0).json().getJsonArray("tools").getJsonObject(0);
        assertEquals("fact-finder", tool.getString("name"));
        assertEquals("Finds facts and cites them", tool.getString("description"));
        String asked = server.requests().get(1).body();
        assertTrue(asked.contains("How many hills has Lisbon?"), asked);
        assertFalse(asked.contains("Tell me about Lisbon"), "the called agent sees only its task: " + asked);
    }

    @Test
    void aFailingAgentIsAnErrorResultTheCallerReads() {
        server.enqueue(
                Reply.toolCall("call-1", "fact-finder", "{\"task\":\"Hills?\"}"),
                Reply.status(400, "the model is unavailable"),
                Reply.text("I could not find out."));
        Agent writer = writerAsking(TestAgents.scripted(server, "fact-finder", "openai:gpt-test"));

        Response response =
                writer.stream(List.of(Message.user("Tell me about Lisbon")), ToolContext.current(), events::add);

        assertEquals("I could not find out.", response.text());
        List<String> outline = EventLog.outline(events);
        assertTrue(outline.contains("end fact-finder error"), outline.toString());
        assertTrue(outline.contains("result fact-finder error"), outline.toString());
        var result = events.stream()
                .filter(AgentEvent.ToolResult.class::isInstance)
                .map(AgentEvent.ToolResult.class::cast)
                .findFirst()
                .orElseThrow();
        assertTrue(
                result.output().startsWith("Agent 'fact-finder' failed:")
                        && result.output().contains("the model is unavailable"),
                result.output());
    }

    @Test
    void theToolIsNamedAfterTheAgent() {
        assertEquals("help-desk", AgentTool.toolName("help-desk"), "every provider accepts '-' in tool names");
        assertEquals("Research_Agent_", AgentTool.toolName("Research Agent!"));
        assertEquals(64, AgentTool.toolName("a".repeat(80)).length());
        assertEquals("agent_1st-line", AgentTool.toolName("1st-line"), "Gemini wants a letter or '_' first");
        assertEquals(
                "Asks the agent 'fact-finder' to do a task and returns its answer.",
                AgentTool.of(TestAgents.java("fact-finder", q -> q), " ").spec().description());
    }
}
