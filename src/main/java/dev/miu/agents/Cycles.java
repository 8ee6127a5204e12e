package dev.miu.agents;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Finds a cycle in a small directed graph given by names and their edges, spelled out as {@code a -> b -> a}. */
final class Cycles {

    private Cycles() {}

    /**
     * The first cycle found, starting from the nodes in their given order, as the path that returns to its first
     * node; empty when there is none. Edges to names outside {@code nodes} are ignored (reported elsewhere).
     */
    static Optional<List<String>> find(Collection<String> nodes, Function<String, List<String>> edges) {
        Set<String> known = new HashSet<>(nodes);
        Set<String> done = new HashSet<>();
        for (String start : nodes) {
            List<String> cycle = visit(start, known, edges, done, new HashMap<>(), new ArrayList<>());
            if (cycle != null) {
                return Optional.of(cycle);
            }
        }
        return Optional.empty();
    }

    private static List<String> visit(
            String node,
            Set<String> known,
            Function<String, List<String>> edges,
            Set<String> done,
            Map<String, Integer> onPath,
            List<String> path) {
        if (done.contains(node)) {
            return null;
        }
        Integer at = onPath.get(node);
        if (at != null) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(node);
            return cycle;
        }
        onPath.put(node, path.size());
        path.add(node);
        for (String next : edges.apply(node)) {
            if (known.contains(next)) {
                List<String> cycle = visit(next, known, edges, done, onPath, path);
                if (cycle != null) {
                    return cycle;
                }
            }
        }
        path.removeLast();
        onPath.remove(node);
        done.add(node);
        return null;
    }
}
