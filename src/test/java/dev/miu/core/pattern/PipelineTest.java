package dev.miu.core.pattern;

import dev.miu.core.message.Usage;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class PipelineTest {

    @RegisterExtension
    final ScriptedLlmServer server = ScriptedLlmServer.start();

    @Test
    void stagesRunInOrderEachOnThePreviousAnswerOrItsTransform() {
        server.enqueue(
                Reply.text("The sea is wide.").withUsage(5, 4),
                Reply.text("La mer est vaste.").withUsage(6, 5),
                Reply.text("Good translation.").withUsage(7, 2));
        var model = TestAgents.scripted(server, "model", "anthropic:claude-test");
        List<String> seenByTransform = new ArrayList<>();
        var pipeline = new Pipeline(
                "translate",
                List.of(
                        Stage.of("draft", model),
                        Stage.of("translate", model, (initial, previous) -> {
                            seenByTransform.add(initial + " | " + previous.text());
                            return "Translate into French: " + previous.text();
                        }),
                        Stage.of("review", model)),
                true);

        PipelineResult result = pipeline.run("One sentence about the sea");

        assertTrue(result.succeeded(), result.problems().toString());
        assertEquals("Good translation.", result.output());
        assertEquals(new Usage(18, 11), result.usage());
        assertEquals(List.of("One sentence about the sea | The sea is wide."), seenByTransform);
        assertEquals(
                List.of("One sentence about the sea", "Translate into French: The sea is wide.", "La mer est vaste."),
                result.stages().stream().map(StageResult::query).toList());
        assertTrue(server.requests().get(2).body().contains("La mer est vaste."));
        server.assertAllConsumed();
    }

    @Test
    void stopOnErrorSkipsTheStagesAfterAFailure() {
        server.enqueue(Reply.text("draft"), Reply.status(400, "context window exceeded"));
        var model = TestAgents.scripted(server, "model", "openai:gpt-test");
        var pipeline =
                new Pipeline("p", List.of(Stage.of("a", model), Stage.of("b", model), Stage.of("c", model)), true);

        var result = pipeline.run("go");

        assertFalse(result.succeeded());
        assertTrue(result.stages().get(1).outcome().describe().contains("context window exceeded"));
        var skipped = result.stages().get(2);
        assertInstanceOf(Outcome.Skipped.class, skipped.outcome());
        assertEquals(
                "skipped: stage 'b' failed and stop-on-error is on",
                skipped.outcome().describe());
        assertNull(skipped.query());
        assertEquals("draft", result.output(), "the last answer that exists, flagged by succeeded() == false");
        server.assertAllConsumed();
    }

    @Test
    void continuingAfterAFailureGoesOnFromTheLastGoodAnswerAndReportsIt() {
        var pipeline = new Pipeline(
                "p",
                List.of(
                        Stage.of("a", TestAgents.java("a", q -> "A(" + q + ")")),
                        Stage.of("b", TestAgents.java("b", q -> {
                            throw new IllegalStateException("b is down");
                        })),
                        Stage.of("c", TestAgents.java("c", q -> "C(" + q + ")"))),
                false);

        var result = pipeline.run("x");

        assertFalse(result.succeeded());
        assertEquals(
                List.of("b"), result.problems().stream().map(StageResult::stage).toList());
        assertEquals("failed: b is down", result.problems().getFirst().outcome().describe());
        assertEquals("A(x)", result.stages().get(2).query());
        assertEquals("C(A(x))", result.output());
    }

    @Test
    void aTransformThatThrowsFailsItsStage() {
        var pipeline = new Pipeline(
                "p",
                List.of(
                        Stage.of("a", TestAgents.java("a", q -> q)),
                        Stage.of("b", TestAgents.java("b", q -> q), (initial, previous) -> {
                            throw new IllegalArgumentException("no template");
                        })),
                true);

        var result = pipeline.run("x");

        assertEquals(
                "failed: could not build the query: no template",
                result.stages().get(1).outcome().describe());
    }

    @Test
    void badSetupIsRefused() {
        var agent = TestAgents.java("a", q -> q);
        assertThrows(PatternException.class, () -> new Pipeline("p", List.of(), true));
        assertThrows(
                PatternException.class,
                () -> new Pipeline("p", List.of(Stage.of("s", agent), Stage.of("s", agent)), true));
        var pipeline = new Pipeline("p", List.of(Stage.of("s", agent)), true);
        assertThrows(PatternException.class, () -> pipeline.run(" "));
    }
}
