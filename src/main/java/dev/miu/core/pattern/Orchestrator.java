package dev.miu.core.pattern;

import dev.miu.core.agent.Agent;
import dev.miu.core.agent.Response;
import dev.miu.core.message.Message;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.tool.ToolContext;
import io.opentelemetry.context.Context;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs tasks that depend on each other: a DAG of agent calls. Tasks whose dependencies have succeeded run in
 * parallel, each on its own virtual thread, at most {@code maxParallel} at a time and each within
 * {@code taskTimeout}. When a task fails, with fail-fast the run stops (running tasks are interrupted and
 * reported cancelled, the rest skipped); without it, only the tasks that depend on the failed one are skipped.
 * Agents are shared between tasks, so they must allow concurrent runs ({@code ReActAgent} does).
 *
 * <pre>{@code
 * var orchestrator = Orchestrator.builder("report")
 *         .agent("researcher", researcher).agent("writer", writer).maxParallel(4).build();
 * var result = orchestrator.run(List.of(
 *         Task.of("facts", "researcher", "List facts about Lisbon"),
 *         Task.of("history", "researcher", "Summarise Lisbon's history"),
 *         Task.withResults("article", "writer", "Write a short article from these notes", "facts", "history")));
 * }</pre>
 */
public final class Orchestrator {

    private final String name;
    private final Map<String, Agent> agents;
    private final int maxParallel;
    private final Duration taskTimeout;
    private final boolean failFast;

    private Orchestrator(Builder b) {
        this.name = b.name;
        this.agents = Map.copyOf(b.agents);
        this.maxParallel = b.maxParallel;
        this.taskTimeout = b.taskTimeout;
        this.failFast = b.failFast;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** One running task: its thread, when it started, and the query it was asked. */
    private record Running(Task task, Thread thread, long startNanos, String query) {}

    /** A finished task's report from its thread to the scheduler. */
    private record Finished(String id, Outcome outcome) {}

    /**
     * Runs {@code tasks}: checks the graph, then loops — skip tasks whose dependencies did not succeed, start the
     * ready ones up to the parallel limit, wait for the next to finish or time out — until none is left.
     * An interrupt of the calling thread cancels the running tasks and skips the rest.
     *
     * @throws PatternException before anything runs, if the graph is invalid (cycle, unknown agent or task)
     */
    public OrchestratorResult run(List<Task> tasks) {
        return run(tasks, ToolContext.current(), SubAgentRuns.silent());
    }

    private OrchestratorResult run(List<Task> tasks, ToolContext context, SubAgentRuns runs) {
        return SubAgentRuns.inSpan(name, "orchestrate " + name, "orchestrate", context, span -> {
            span.setAttribute("miu.pattern.tasks", tasks.size());
            OrchestratorResult result = runTasks(tasks, context, runs);
            long failed = result.tasks().stream()
                    .filter(t -> !t.outcome().succeeded())
                    .count();
            span.setAttribute("miu.pattern.tasks_not_succeeded", failed);
            return result;
        });
    }

    /**
     * This orchestrator as an agent a server can host: {@code plan} turns the text of the conversation's last (user)
     * message into the tasks to run (each task sees only its own query, built as for {@link #run}). The answer is
     * the final task's (the one no other task depends on), marked with the agent that gave it, or the final tasks'
     * answers joined under their ids. Its stream frames each task agent's events ({@code AgentStart},
     * {@code Nested}, {@code AgentEnd}); parallel tasks' events interleave, never within one event. When a task
     * does not succeed, the answer says which and why and the run ends with {@code ERROR}; a cancelled run stops
     * the running tasks and ends with {@code CANCELLED} and no answer. The tasks' own tool calls stay out of the
     * history.
     *
     * @param plan the tasks for a message; a {@link PatternException} it throws (or an invalid graph) is thrown by
     *             the agent's stream before anything runs
     */
    public Agent asAgent(Function<String, List<Task>> plan) {
        Objects.requireNonNull(plan, "plan");
        return PatternAgent.of(name, "orchestrator", (conversation, context, events) -> {
            String message = SubAgentRuns.lastUserText(conversation, "Orchestrator '" + name + "'");
            List<Task> tasks = plan.apply(message);
            if (tasks == null || tasks.isEmpty()) {
                throw new PatternException("Orchestrator '" + name + "' has no tasks for this message");
            }
            var runs = new SubAgentRuns(events);
            OrchestratorResult result = run(tasks, context, runs);
            if (Thread.interrupted()) { // runTasks keeps a cancellation visible; the run ends CANCELLED, as an agent's
                // does
                return runs.finish(List.of(), StopReason.CANCELLED);
            }
            return answer(result, tasks, runs);
        });
    }

    /** The final tasks' answers (and what went wrong, if anything) as the run's one assistant message. */
    private Response answer(OrchestratorResult result, List<Task> tasks, SubAgentRuns runs) {
        Set<String> needed = new HashSet<>();
        tasks.forEach(t -> needed.addAll(t.dependsOn()));
        List<TaskResult> finals =
                result.tasks().stream().filter(t -> !needed.contains(t.id())).toList();
        if (result.succeeded() && finals.size() == 1) {
            Response only = ((Outcome.Succeeded) finals.getFirst().outcome()).response();
            String speaker = agents.get(finals.getFirst().agent()).config().name();
            return runs.finish(List.of(Message.assistant(only.text()).withAgent(speaker)), only.stopReason());
        }
        var text = new StringBuilder();
        for (TaskResult task : finals) {
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append("## ").append(task.id()).append("\n\n");
            text.append(
                    task.outcome().succeeded()
                            ? task.outcome().text()
                            : "(" + task.outcome().describe() + ")");
        }
        if (!result.succeeded()) {
            text.append("\n\nOrchestrator '").append(name).append("' did not finish every task:");
            for (TaskResult problem : result.problems()) {
                text.append("\n- task '")
                        .append(problem.id())
                        .append("' ")
                        .append(problem.outcome().describe());
            }
        }
        return runs.finish(
                List.of(Message.assistant(text.toString()).withAgent(name)),
                result.succeeded() ? StopReason.END_TURN : StopReason.ERROR);
    }

    private OrchestratorResult runTasks(List<Task> tasks, ToolContext context, SubAgentRuns runs) {
        List<Task> ordered = TaskGraph.order(tasks, agents.keySet());
        long runStart = System.nanoTime();
        List<Task> pending = new ArrayList<>(ordered);
        Map<String, TaskResult> results = new HashMap<>();
        Map<String, Running> running = new LinkedHashMap<>();
        BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
        String stop = null; // why the run stopped early (fail-fast or cancellation), else null
        boolean cancelled = false;

        while (!pending.isEmpty() || !running.isEmpty()) {
            List<String> failedNow = new ArrayList<>();
            if (stop == null) {
                List<String> unbuilt;
                do { // a task whose query cannot be built fails at once, which may skip others
                    skipBlocked(pending, results);
                    unbuilt = startReady(pending, results, running, finished, context, runs);
                    failedNow.addAll(unbuilt);
                } while (!unbuilt.isEmpty());
            }
            if (failFast && !failedNow.isEmpty() && stop == null) {
                stop = "task '" + failedNow.getFirst() + "' failed and fail-fast is on";
                cancelAll(running, results, stop);
            }
            if (running.isEmpty()) {
                break;
            }
            Finished next;
            try {
                next = finished.poll(waitNanos(running), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                stop = "the orchestrator run was cancelled";
                cancelled = true;
                cancelAll(running, results, stop);
                break;
            }
            if (next != null) {
                Running r = running.remove(next.id());
                if (r != null) { // a task already timed out or cancelled may still report; its result stands
                    results.put(next.id(), result(r, next.outcome()));
                    if (!next.outcome().succeeded()) {
                        failedNow.add(next.id());
                    }
                }
            }
            failedNow.addAll(timeOut(running, results));
            if (failFast && !failedNow.isEmpty() && stop == null) {
                stop = "task '" + failedNow.getFirst() + "' failed and fail-fast is on";
                cancelAll(running, results, stop);
            }
        }
        for (Task task : pending) {
            results.put(
                    task.id(),
                    new TaskResult(
                            task.id(),
                            task.agent(),
                            null,
                            new Outcome.Skipped(stop != null ? stop : "it could not start"),
                            Duration.ZERO));
        }
        if (cancelled) {
            Thread.currentThread().interrupt(); // keep the caller's cancellation visible
        }
        List<TaskResult> inOrder = tasks.stream().map(t -> results.get(t.id())).toList();
        Usage usage = inOrder.stream()
                .map(TaskResult::outcome)
                .filter(o -> o instanceof Outcome.Succeeded)
                .map(o -> ((Outcome.Succeeded) o).response().usage())
                .reduce(Usage.ZERO, Usage::plus);
        return new OrchestratorResult(name, inOrder, usage, Duration.ofNanos(System.nanoTime() - runStart));
    }

    /** Pending tasks (in dependency order, so one pass cascades) with a dependency that ended badly are skipped. */
    private static void skipBlocked(List<Task> pending, Map<String, TaskResult> results) {
        for (var it = pending.iterator(); it.hasNext(); ) {
            Task task = it.next();
            for (String dep : task.dependsOn()) {
                TaskResult r = results.get(dep);
                if (r != null && !r.outcome().succeeded()) {
                    String reason = "dependency '" + dep + "' "
                            + (r.outcome() instanceof Outcome.Skipped ? "was skipped" : "did not succeed");
                    results.put(
                            task.id(),
                            new TaskResult(task.id(), task.agent(), null, new Outcome.Skipped(reason), Duration.ZERO));
                    it.remove();
                    break;
                }
            }
        }
    }

    /** Starts tasks whose dependencies all succeeded, up to the limit; returns those whose query could not be built. */
    private List<String> startReady(
            List<Task> pending,
            Map<String, TaskResult> results,
            Map<String, Running> running,
            BlockingQueue<Finished> finished,
            ToolContext context,
            SubAgentRuns runs) {
        List<String> unbuilt = new ArrayList<>();
        for (var it = pending.iterator(); it.hasNext() && running.size() < maxParallel; ) {
            Task task = it.next();
            if (!task.dependsOn().stream()
                    .allMatch(d ->
                            results.containsKey(d) && results.get(d).outcome().succeeded())) {
                continue; // not ready yet, or blocked (the next skipBlocked pass skips it)
            }
            it.remove();
            Map<String, Response> inputs = new LinkedHashMap<>();
            for (String dep : task.dependsOn()) {
                inputs.put(dep, ((Outcome.Succeeded) results.get(dep).outcome()).response());
            }
            String query;
            try {
                query = task.query().apply(inputs);
                if (query == null || query.isBlank()) {
                    throw new PatternException("the query is empty");
                }
            } catch (RuntimeException e) {
                results.put(
                        task.id(),
                        new TaskResult(
                                task.id(),
                                task.agent(),
                                null,
                                new Outcome.Failed("could not build the query: " + AgentRuns.message(e)),
                                Duration.ZERO));
                unbuilt.add(task.id());
                continue;
            }
            Agent agent = agents.get(task.agent());
            // Context.wrap keeps the task's agent spans children of the orchestrator's span on the new thread.
            Runnable work =
                    () -> finished.add(new Finished(task.id(), runs.run(agent, List.of(Message.user(query)), context)));
            Thread thread = Thread.ofVirtual()
                    .name("miu-" + name + "-" + task.id())
                    .unstarted(Context.current().wrap(work));
            running.put(task.id(), new Running(task, thread, System.nanoTime(), query));
            thread.start();
        }
        return unbuilt;
    }

    private long waitNanos(Map<String, Running> running) {
        if (taskTimeout == null) {
            return Long.MAX_VALUE;
        }
        long now = System.nanoTime();
        long earliest =
                running.values().stream().mapToLong(Running::startNanos).min().orElse(now);
        return Math.max(1, earliest + taskTimeout.toNanos() - now);
    }

    /** Interrupts tasks past their timeout and records them as failed; returns their ids. */
    private List<String> timeOut(Map<String, Running> running, Map<String, TaskResult> results) {
        if (taskTimeout == null) {
            return List.of();
        }
        List<String> timedOut = new ArrayList<>();
        long now = System.nanoTime();
        for (var it = running.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (now - entry.getValue().startNanos() >= taskTimeout.toNanos()) {
                entry.getValue().thread().interrupt();
                it.remove();
                results.put(
                        entry.getKey(),
                        result(
                                entry.getValue(),
                                new Outcome.Failed("timed out after " + taskTimeout.toMillis() + " ms")));
                timedOut.add(entry.getKey());
            }
        }
        return timedOut;
    }

    private static void cancelAll(Map<String, Running> running, Map<String, TaskResult> results, String reason) {
        for (Running r : running.values()) {
            r.thread().interrupt();
            results.put(r.task().id(), result(r, new Outcome.Cancelled(reason)));
        }
        running.clear();
    }

    private static TaskResult result(Running r, Outcome outcome) {
        return new TaskResult(
                r.task().id(),
                r.task().agent(),
                r.query(),
                outcome,
                Duration.ofNanos(System.nanoTime() - r.startNanos()));
    }

    /** Registers agents by name and sets the limits. */
    public static final class Builder {
        private final String name;
        private final Map<String, Agent> agents = new LinkedHashMap<>();
        private int maxParallel = 4;
        private Duration taskTimeout;
        private boolean failFast;

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new PatternException("An orchestrator needs a name");
            }
            this.name = name;
        }

        public Builder agent(String name, Agent agent) {
            Objects.requireNonNull(agent, "agent");
            if (name == null || name.isBlank()) {
                throw new PatternException("An agent needs a name");
            }
            if (agents.putIfAbsent(name, agent) != null) {
                throw new PatternException("Agent '" + name + "' is registered twice");
            }
            return this;
        }

        /** How many tasks may run at once (default 4). */
        public Builder maxParallel(int maxParallel) {
            if (maxParallel < 1) {
                throw new PatternException("maxParallel must be at least 1, not " + maxParallel);
            }
            this.maxParallel = maxParallel;
            return this;
        }

        /** How long one task may run before it is interrupted and reported failed (default: no limit). */
        public Builder taskTimeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new PatternException("taskTimeout must be positive");
            }
            this.taskTimeout = timeout;
            return this;
        }

        /** Stop the whole run at the first failure (default: skip only the failed task's dependents). */
        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        public Orchestrator build() {
            if (agents.isEmpty()) {
                throw new PatternException("Orchestrator '" + name + "' has no agents");
            }
            return new Orchestrator(this);
        }
    }
}
