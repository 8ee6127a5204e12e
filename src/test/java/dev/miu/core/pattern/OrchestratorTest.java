package dev.miu.core.pattern;

import dev.miu.core.agent.Agent;
import dev.miu.core.message.Usage;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class OrchestratorTest {

    @RegisterExtension
    final ScriptedLlmServer server = ScriptedLlmServer.start();

    private static Agent echo(String name) {
        return TestAgents.java(name, q -> name + " did: " + q);
    }

    @Test
    void dependentTaskIsAskedWithItsDependencysAnswer() {
        server.enqueue(
                Reply.text("Lisbon has seven hills.").withUsage(10, 5),
                Reply.text("A city of hills.").withUsage(20, 4));
        var orchestrator = Orchestrator.builder("report")
                .agent("researcher", TestAgents.scripted(server, "researcher", "anthropic:claude-test"))
                .agent("writer", TestAgents.scripted(server, "writer", "openai:gpt-test"))
                .build();

        OrchestratorResult result = orchestrator.run(List.of(
                Task.withResults("article", "writer", "Write one line from these notes", "facts"),
                Task.of("facts", "researcher", "Facts about Lisbon?")));

        assertTrue(result.succeeded(), result.problems().toString());
        assertEquals("report", result.name());
        assertEquals(
                List.of("article", "facts"),
                result.tasks().stream().map(TaskResult::id).toList(),
                "given order");
        assertEquals("A city of hills.", result.text("article"));
        assertEquals(new Usage(30, 9), result.usage());
        assertEquals("/v1/messages", server.requests().get(0).path());
        String writerQuery = result.task("article").orElseThrow().query();
        assertTrue(writerQuery.startsWith("Write one line from these notes"), writerQuery);
        assertTrue(writerQuery.contains("## Result of facts\nLisbon has seven hills."), writerQuery);
        assertTrue(server.requests().get(1).body().contains("Lisbon has seven hills."));
        server.assertAllConsumed();
    }

    @Test
    void aCycleIsRefusedBeforeAnythingRunsAndNamed() {
        var orchestrator = Orchestrator.builder("o").agent("a", echo("a")).build();

        var e = assertThrows(
                PatternException.class,
                () -> orchestrator.run(List.of(
                        Task.of("x", "a", "q", "y"), Task.of("y", "a", "q", "z"), Task.of("z", "a", "q", "x"))));

        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        assertTrue(e.getMessage().contains("x -> y -> z -> x"), e.getMessage());
    }

    @Test
    void unknownAgentsTasksAndDuplicatesAreClearErrors() {
        var orchestrator = Orchestrator.builder("o").agent("a", echo("a")).build();

        var agent = assertThrows(PatternException.class, () -> orchestrator.run(List.of(Task.of("t", "nobody", "q"))));
        assertTrue(
                agent.getMessage().contains("unknown agent 'nobody'")
                        && agent.getMessage().contains("known agents: a"),
                agent.getMessage());
        var dep =
                assertThrows(PatternException.class, () -> orchestrator.run(List.of(Task.of("t", "a", "q", "ghost"))));
        assertTrue(dep.getMessage().contains("unknown task 'ghost'"), dep.getMessage());
        var dup = assertThrows(
                PatternException.class,
                () -> orchestrator.run(List.of(Task.of("t", "a", "q"), Task.of("t", "a", "q"))));
        assertTrue(dup.getMessage().contains("'t'"), dup.getMessage());
        assertThrows(PatternException.class, () -> Task.of("self", "a", "q", "self"));
        assertThrows(
                PatternException.class,
                () -> Orchestrator.builder("o").agent("a", echo("a")).maxParallel(0));
    }

    @Test
    void independentTasksRunAtTheSameTime() {
        var barrier = new CyclicBarrier(3);
        Agent meets = TestAgents.java("meets", q -> {
            try {
                barrier.await(10, TimeUnit.SECONDS); // only passes if all three run at once
                return "met " + q;
            } catch (Exception e) {
                throw new IllegalStateException("tasks did not run in parallel", e);
            }
        });
        var orchestrator = Orchestrator.builder("parallel")
                .agent("m", meets)
                .maxParallel(3)
                .build();

        var result = orchestrator.run(List.of(Task.of("a", "m", "1"), Task.of("b", "m", "2"), Task.of("c", "m", "3")));

        assertTrue(result.succeeded(), result.problems().toString());
        assertEquals("met 2", result.text("b"));
    }

    @Test
    void maxParallelBoundsHowManyRunAtOnce() {
        var now = new AtomicInteger();
        var peak = new AtomicInteger();
        Agent counted = TestAgents.java("counted", q -> {
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                now.decrementAndGet();
            }
            return q;
        });
        var orchestrator = Orchestrator.builder("bounded")
                .agent("c", counted)
                .maxParallel(2)
                .build();

        var result = orchestrator.run(List.of(
                Task.of("a", "c", "1"),
                Task.of("b", "c", "2"),
                Task.of("c", "c", "3"),
                Task.of("d", "c", "4"),
                Task.of("e", "c", "5")));

        assertTrue(result.succeeded());
        assertTrue(peak.get() <= 2, "peak " + peak.get());
    }

    @Test
    void aTaskPastItsTimeoutIsInterruptedAndFailsAndItsDependentsAreSkipped() throws InterruptedException {
        var interrupted = new CountDownLatch(1);
        var orchestrator = Orchestrator.builder("timed")
                .agent("slow", TestAgents.blocking("slow", interrupted::countDown))
                .agent("fast", echo("fast"))
                .taskTimeout(Duration.ofMillis(200))
                .build();

        var result = orchestrator.run(List.of(
                Task.of("slow", "slow", "wait"),
                Task.of("after", "fast", "next", "slow"),
                Task.of("other", "fast", "independent")));

        var slow = result.task("slow").orElseThrow().outcome();
        assertInstanceOf(Outcome.Failed.class, slow);
        assertTrue(slow.describe().contains("timed out after 200 ms"), slow.describe());
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the timed-out task's thread was interrupted");
        var after = result.task("after").orElseThrow().outcome();
        assertInstanceOf(Outcome.Skipped.class, after);
        assertTrue(after.describe().contains("dependency 'slow' did not succeed"), after.describe());
        assertEquals("fast did: independent", result.text("other"));
    }

    @Test
    void failFastCancelsRunningTasksAndSkipsTheRest() throws InterruptedException {
        var interrupted = new CountDownLatch(1);
        var orchestrator = Orchestrator.builder("ff")
                .agent("slow", TestAgents.blocking("slow", interrupted::countDown))
                .agent("broken", TestAgents.java("broken", q -> {
                    throw new IllegalStateException("disk full");
                }))
                .agent("fast", echo("fast"))
                .failFast(true)
                .build();

        var result = orchestrator.run(List.of(
                Task.of("long", "slow", "wait"),
                Task.of("bad", "broken", "go"),
                Task.of("later", "fast", "after long", "long")));

        assertFalse(result.succeeded());
        assertEquals(
                "failed: disk full", result.task("bad").orElseThrow().outcome().describe());
        var cancelled = result.task("long").orElseThrow().outcome();
        assertInstanceOf(Outcome.Cancelled.class, cancelled);
        assertTrue(cancelled.describe().contains("task 'bad' failed and fail-fast is on"), cancelled.describe());
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the running task was interrupted");
        assertInstanceOf(
                Outcome.Skipped.class, result.task("later").orElseThrow().outcome());
    }

    @Test
    void withoutFailFastOnlyDependentsOfTheFailureAreSkippedTransitively() {
        server.enqueue(Reply.status(400, "prompt too long"));
        var orchestrator = Orchestrator.builder("tolerant")
                .agent("model", TestAgents.scripted(server, "model", "anthropic:claude-test"))
                .agent("fast", echo("fast"))
                .build();

        var result = orchestrator.run(List.of(
                Task.of("bad", "model", "go"),
                Task.of("child", "fast", "c", "bad"),
                Task.of("grandchild", "fast", "g", "child"),
                Task.of("free", "fast", "f")));

        var bad = result.task("bad").orElseThrow().outcome();
        assertTrue(bad.describe().contains("prompt too long"), bad.describe());
        assertEquals(
                "skipped: dependency 'bad' did not succeed",
                result.task("child").orElseThrow().outcome().describe());
        assertEquals(
                "skipped: dependency 'child' was skipped",
                result.task("grandchild").orElseThrow().outcome().describe());
        assertEquals("fast did: f", result.text("free"));
        assertEquals(
                List.of("bad", "child", "grandchild"),
                result.problems().stream().map(TaskResult::id).toList());
        assertThrows(PatternException.class, () -> result.text("child"));
        server.assertAllConsumed();
    }

    @Test
    void interruptingTheCallerCancelsTheRunAndKeepsTheInterrupt() throws Exception {
        var started = new CountDownLatch(1);
        var interrupted = new CountDownLatch(1);
        Agent slow = TestAgents.java("slow", q -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
                return "woke up";
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw new dev.miu.core.CancelledException("interrupted");
            }
        });
        var orchestrator = Orchestrator.builder("cancel")
                .agent("slow", slow)
                .agent("fast", echo("fast"))
                .build();
        var result = new java.util.concurrent.atomic.AtomicReference<OrchestratorResult>();
        var flagKept = new java.util.concurrent.atomic.AtomicBoolean();
        Thread caller = Thread.ofVirtual().start(() -> {
            result.set(
                    orchestrator.run(List.of(Task.of("long", "slow", "wait"), Task.of("next", "fast", "n", "long"))));
            flagKept.set(Thread.currentThread().isInterrupted());
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));

        caller.interrupt();
        caller.join(5_000);

        assertEquals(
                "cancelled: the orchestrator run was cancelled",
                result.get().task("long").orElseThrow().outcome().describe());
        assertInstanceOf(
                Outcome.Skipped.class, result.get().task("next").orElseThrow().outcome());
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the running task was interrupted");
        assertTrue(flagKept.get(), "the caller still sees its interrupt");
    }

    @Test
    void aQueryThatCannotBeBuiltFailsTheTask() {
        var orchestrator = Orchestrator.builder("o").agent("a", echo("a")).build();

        var result = orchestrator.run(List.of(
                Task.of("first", "a", "one"),
                Task.from("second", "a", deps -> deps.get("missing").text(), "first"),
                Task.of("third", "a", "three", "second")));

        assertEquals("a did: one", result.text("first"));
        assertTrue(result.task("second")
                .orElseThrow()
                .outcome()
                .describe()
                .startsWith("failed: could not build the query"));
        assertInstanceOf(
                Outcome.Skipped.class, result.task("third").orElseThrow().outcome());
    }
}
