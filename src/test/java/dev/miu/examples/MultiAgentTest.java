package dev.miu.examples;

import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class MultiAgentTest {

    @RegisterExtension
    final ScriptedLlmServer server = ScriptedLlmServer.start();

    @Test
    void runsTheRouterThePipelineAndTheOrchestrator() {
        server.enqueue(
                Reply.text("Bom dia."), // router -> translator
                Reply.text("Virtual threads park cheaply while waiting."), // pipeline: draft
                Reply.text("Virtual threads wait cheaply."), // pipeline: edit
                Reply.text("Cheap Waiting"), // pipeline: title
                Reply.text("Runtime facts A."),
                Reply.text("Runtime facts B."), // orchestrator: two researchers in parallel
                Reply.text("Both run millions of lightweight tasks.")); // orchestrator: writer, after both

        var run = ExampleRunner.run(new MultiAgent(), server.settings(), "gemini:gemini-test");

        String out = run.output();
        assertEquals(0, run.exitCode(), out);
        assertTrue(out.contains("route: translator (keywords [translate, translation] (priority 10))"), out);
        assertTrue(out.contains("Bom dia."), out);
        assertTrue(out.contains("[edit] Virtual threads wait cheaply."), out);
        assertTrue(out.contains("[title] Cheap Waiting"), out);
        assertTrue(out.contains("[compare] Both run millions of lightweight tasks."), out);
        assertTrue(out.contains("All three patterns finished."), out);
        String writerRequest = server.lastRequest().body();
        assertTrue(
                writerRequest.contains("Runtime facts A.") && writerRequest.contains("Runtime facts B."),
                writerRequest);
        assertTrue(server.requests().get(2).body().contains("Virtual threads park cheaply while waiting."));
        server.assertAllConsumed();
    }
}
