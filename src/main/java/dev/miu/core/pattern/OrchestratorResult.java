package dev.miu.core.pattern;

import dev.miu.core.message.Usage;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The result of an {@link Orchestrator} run: one {@link TaskResult} per task, in the order the tasks were given.
 *
 * @param name  the orchestrator's name
 * @param usage tokens summed over the tasks that succeeded
 */
public record OrchestratorResult(String name, List<TaskResult> tasks, Usage usage, Duration elapsed) {

    public OrchestratorResult {
        tasks = List.copyOf(tasks);
    }

    /** True when every task succeeded. */
    public boolean succeeded() {
        return tasks.stream().allMatch(t -> t.outcome().succeeded());
    }

    public Optional<TaskResult> task(String id) {
        return tasks.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /** The answer of task {@code id}; a {@link PatternException} if there is no such task or it did not succeed. */
    public String text(String id) {
        TaskResult task = task(id).orElseThrow(() -> new PatternException("No task '" + id + "' in this run"));
        if (!task.outcome().succeeded()) {
            throw new PatternException(
                    "Task '" + id + "' has no answer: " + task.outcome().describe());
        }
        return task.outcome().text();
    }

    /** Tasks that did not succeed, with what happened to each. */
    public List<TaskResult> problems() {
        return tasks.stream().filter(t -> !t.outcome().succeeded()).toList();
    }
}
