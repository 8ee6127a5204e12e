package dev.miu.core.pattern;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a task list before anything runs (ids, agents, dependencies, cycles) and orders it so dependencies come first. */
final class TaskGraph {

    private TaskGraph() {}

    /**
     * The tasks in an order where every task follows its dependencies (stable: otherwise as given).
     *
     * @throws PatternException naming the problem: a duplicate id, an unknown agent or dependency, or a cycle
     */
    static List<Task> order(List<Task> tasks, Set<String> agents) {
        if (tasks.isEmpty()) {
            throw new PatternException("No tasks to run");
        }
        Map<String, Task> byId = new LinkedHashMap<>();
        for (Task task : tasks) {
            if (byId.put(task.id(), task) != null) {
                throw new PatternException("Two tasks have the id '" + task.id() + "'");
            }
            if (!agents.contains(task.agent())) {
                throw new PatternException(
                        "Task '" + task.id() + "' names unknown agent '" + task.agent() + "'; known agents: "
                                + String.join(", ", agents.stream().sorted().toList()));
            }
        }
        for (Task task : tasks) {
            for (String dep : task.dependsOn()) {
                if (!byId.containsKey(dep)) {
                    throw new PatternException("Task '" + task.id() + "' depends on unknown task '" + dep + "'");
                }
            }
        }
        List<Task> ordered = new ArrayList<>(tasks.size());
        Set<String> done = new HashSet<>();
        Map<String, Integer> onPath = new HashMap<>(); // id -> position in the current DFS path
        List<String> path = new ArrayList<>();
        for (Task task : tasks) {
            visit(task, byId, done, onPath, path, ordered);
        }
        return ordered;
    }

    private static void visit(
            Task task,
            Map<String, Task> byId,
            Set<String> done,
            Map<String, Integer> onPath,
            List<String> path,
            List<Task> ordered) {
        if (done.contains(task.id())) {
            return;
        }
        Integer start = onPath.get(task.id());
        if (start != null) {
            List<String> cycle = new ArrayList<>(path.subList(start, path.size()));
            cycle.add(task.id());
            throw new PatternException(
                    "Task dependencies form a cycle (each depends on the next): " + String.join(" -> ", cycle));
        }
        onPath.put(task.id(), path.size());
        path.add(task.id());
        for (String dep : task.dependsOn()) {
            visit(byId.get(dep), byId, done, onPath, path, ordered);
        }
        path.removeLast();
        onPath.remove(task.id());
        done.add(task.id());
        ordered.add(task);
    }
}
