package dev.miu.core.mcp;

import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.AgentEvent;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A whole agent turn: the scripted model calls a tool of the real server-everything and answers from its result. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class McpAgentTurnTest {

    @Test
    void theModelCallsAnMcpToolAndReadsItsResult() throws Exception {
        try (var llm = ScriptedLlmServer.start();
                var servers = McpServers.start(
                        Map.of("everything", NpmMcpServers.everythingStdio()), null, McpClient.Options.DEFAULT)) {
            llm.enqueue(
                    Reply.toolCall("toolu_1", "everything__get-sum", "{\"a\": 17, \"b\": 25}"),
                    Reply.text("The MCP server says 17 + 25 = 42."));
            var provider = new Providers(llm.settings(), ProviderOptions.DEFAULT)
                    .create(ModelSpec.parse("anthropic:claude-test"));
            var agent = new ReActAgent(
                    AgentConfig.of("mcp-agent", "anthropic:claude-test"),
                    provider,
                    servers.registerInto(new ToolRegistry()));

            List<AgentEvent> events = new ArrayList<>();
            Response response = agent.stream("What is 17 + 25? Use your tool.", events::add);

            assertEquals(StopReason.END_TURN, response.stopReason());
            assertEquals("The MCP server says 17 + 25 = 42.", response.text());
            llm.assertAllConsumed();

            // The model was offered the MCP tool under its prefixed name, with the server's input schema.
            JsonObject first = llm.requests().get(0).json();
            JsonObject offered = first.getJsonArray("tools").stream()
                    .map(JsonObject.class::cast)
                    .filter(t -> t.getString("name").equals("everything__get-sum"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("tool not offered: " + first.getJsonArray("tools")));
            assertTrue(offered.getJsonObject("input_schema")
                    .getJsonObject("properties")
                    .containsKey("a"));

            // The tool ran on the MCP server and its answer went back to the model.
            var result = events.stream()
                    .filter(AgentEvent.ToolResult.class::isInstance)
                    .map(AgentEvent.ToolResult.class::cast)
                    .findFirst()
                    .orElseThrow();
            assertEquals("everything__get-sum", result.name());
            assertFalse(result.isError(), result.output());
            assertTrue(result.output().contains("42"), result.output());
            JsonObject second = llm.requests().get(1).json();
            var lastMessage = second.getJsonArray("messages")
                    .getJsonObject(second.getJsonArray("messages").size() - 1);
            JsonObject toolResult = lastMessage.getJsonArray("content").getJsonObject(0);
            assertEquals("tool_result", toolResult.getString("type"));
            assertEquals("toolu_1", toolResult.getString("tool_use_id"));
            assertTrue(toolResult.toString().contains("42"), toolResult.toString());
        }
    }
}
