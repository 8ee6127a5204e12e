package dev.miu.examples;

import dev.miu.core.mcp.NpmMcpServers;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mcp-client example against the real server-everything (installed by .ci/run) and the scripted LLM. */
@Timeout(60)
class McpClientExampleTest {

    @RegisterExtension
    final ScriptedLlmServer server = ScriptedLlmServer.start();

    @Test
    void listsCallsAndLetsTheAgentUseTheServersTools() {
        NpmMcpServers.everythingStdio(); // skips with install advice if the server is missing
        server.enqueue(
                Reply.toolCall("toolu_1", "everything__get-sum", "{\"a\":1234,\"b\":4321}"),
                Reply.text("The sum is 5555."));
        var run = ExampleRunner.run(new McpClientExample(), server.settings(), "anthropic:claude-test");

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("Tools: ") && run.output().contains("get-sum"), run.output());
        assertTrue(
                run.output().contains("Direct call get-sum(2, 3): ")
                        && run.output().contains("5"),
                run.output());
        assertTrue(
                run.output().contains("<- ") && run.output().contains("5555"),
                "the real server computed it: " + run.output());
        assertTrue(run.output().contains("The sum is 5555."), run.output());
        server.assertAllConsumed();
    }
}
