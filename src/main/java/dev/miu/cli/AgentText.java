package dev.miu.cli;

import dev.miu.config.AgentDefinition;
import dev.miu.config.MiuConfig;
import dev.miu.config.ToolRef;
import dev.miu.core.ConfigurationException;

import java.util.ArrayList;
import java.util.List;

/** How {@code miu agents list} and {@code miu agents show} print agents: plain text, one fact per line. */
final class AgentText {

    private AgentText() {}

    /** A table of every agent: name (with {@code *} for the default one), type, model, description. */
    static List<String> table(List<AgentDefinition> definitions, MiuConfig config) {
        String defaultAgent = config.agents().defaultAgent() == null
                ? AgentDefinition.DEFAULT_NAME
                : config.agents().defaultAgent();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "TYPE", "MODEL", "DESCRIPTION"});
        for (AgentDefinition d : definitions) {
            rows.add(new String[] {
                (d.name().equals(defaultAgent) ? "*" : "") + d.name(),
                d.type(),
                model(d, config),
                firstLine(d.description())
            });
        }
        int[] widths = new int[3];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            var line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
            }
            lines.add(line.append(row[3]).toString().stripTrailing());
        }
        return lines;
    }

    /** One agent in full: what it is, where it is declared, and what it runs. */
    static List<String> show(AgentDefinition d, MiuConfig config) {
        List<String> lines = new ArrayList<>();
        lines.add("name:         " + d.name());
        lines.add("type:         " + d.type());
        if (!d.description().isBlank()) {
            lines.add("description:  " + firstLine(d.description()));
        }
        lines.add("source:       " + (d.source() == null ? "(declared in code)" : d.source()));
        switch (d) {
            case AgentDefinition.Model m -> {
                lines.add("model:        " + model(m, config));
                lines.add("limits:       max-iterations " + m.maxIterations() + ", max-tokens " + m.maxTokens()
                        + (m.temperature() == null ? "" : ", temperature " + m.temperature()));
                if (m.tools().isEmpty()) {
                    lines.add("tools:        none");
                } else {
                    lines.add("tools:");
                    m.tools().forEach(t -> lines.add("  - " + tool(t)));
                }
                if (m.instructions() != null && !m.instructions().isBlank()) {
                    lines.add("instructions:");
                    m.instructions().strip().lines().forEach(l -> lines.add("  " + l));
                }
            }
            case AgentDefinition.Router r -> {
                lines.add("routes:");
                for (var route : r.routes()) {
                    List<String> rule = new ArrayList<>();
                    if (!route.keywords().isEmpty()) {
                        rule.add("keywords " + String.join(", ", route.keywords()));
                    }
                    if (route.regex() != null) {
                        rule.add("regex /" + route.regex() + "/");
                    }
                    if (route.priority() != 0) {
                        rule.add("priority " + route.priority());
                    }
                    lines.add("  - " + route.agent() + (rule.isEmpty() ? "" : ": " + String.join("; ", rule))
                            + (route.description() == null ? "" : " (" + firstLine(route.description()) + ")"));
                }
                lines.add("classifier:   " + (r.classifierModel() == null ? "none" : r.classifierModel()));
                lines.add("default:      " + (r.defaultAgent() == null ? "none" : r.defaultAgent()));
            }
            case AgentDefinition.Pipeline p -> {
                lines.add("stages:");
                for (int i = 0; i < p.stages().size(); i++) {
                    lines.add("  " + (i + 1) + ". " + p.stages().get(i));
                }
            }
            case AgentDefinition.Orchestrator o -> {
                lines.add("max-parallel: " + o.maxParallel());
                lines.add("tasks:");
                for (var task : o.tasks()) {
                    lines.add("  - " + task.id() + " (" + task.agent() + ")"
                            + (task.dependsOn().isEmpty() ? "" : " after " + String.join(", ", task.dependsOn()))
                            + (task.prompt().isBlank() ? "" : ": " + firstLine(task.prompt())));
                }
            }
        }
        return lines;
    }

    private static String tool(ToolRef ref) {
        return switch (ref) {
            case ToolRef.Builtin b -> b.name() + " (built-in)";
            case ToolRef.Mcp m ->
                m.tool() == null
                        ? "every tool of MCP server " + m.server()
                        : "MCP tool " + m.tool() + " of server " + m.server();
            case ToolRef.Rag r -> "search_knowledge over collection " + r.collection();
            case ToolRef.Code c -> "coding tools in " + c.workspace() + " (mode " + c.mode() + ")";
            case ToolRef.AgentTool a -> "agent " + a.agent() + " (as a tool)";
            case ToolRef.A2a a -> "remote A2A agent at " + a.url() + " (as a tool)";
        };
    }

    /** A model agent's model, or the server's default it uses; {@code -} for compositions. */
    private static String model(AgentDefinition d, MiuConfig config) {
        if (!(d instanceof AgentDefinition.Model m)) {
            return "-";
        }
        if (m.model() != null) {
            return m.model();
        }
        try {
            return "default (" + config.resolveModel(null) + ")";
        } catch (ConfigurationException e) {
            return "default (none configured)";
        }
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("");
    }
}
