package dev.miu.agents;

import dev.miu.code.Mode;
import dev.miu.code.tools.CodingTools;
import dev.miu.config.AgentDefinition;
import dev.miu.config.MiuConfig;
import dev.miu.config.Nearest;
import dev.miu.config.ToolRef;
import dev.miu.core.ConfigurationException;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.Providers;
import dev.miu.core.tool.Tool;
import dev.miu.rag.RagException;
import dev.miu.rag.VectorStore;

import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a whole set of declared agents before anything runs: names unique, every reference resolved (agents, built-in
 * tools, MCP servers and their tools, collections, providers), workspaces present, modes known, no agent running
 * itself through others, task graphs without unknown tasks or cycles, the default agent declared. Every problem is
 * one line naming the file, the agent and the field; all of them together are one {@link ConfigurationException}.
 * Missing credentials are not a problem here: a turn that needs them fails then, as it always did.
 */
public final class AgentValidator {

    private final AgentReferences references;
    private final Map<String, AgentDefinition> byName = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private AgentValidator(AgentReferences references) {
        this.references = references;
    }

    /**
     * @param definitions   every agent, in declaration order
     * @param defaultAgent  {@code default-agent}, or null for {@code assistant}
     * @param configSource  where {@code default-agent} was read, for its message
     * @param implicit      the assistant the {@code agent:} section defines, or null; as before agents were
     *                      declared, its collection ({@code rag.collection}) may still be empty or missing
     * @throws ConfigurationException listing every problem, one per line
     */
    public static void check(
            List<AgentDefinition> definitions,
            String defaultAgent,
            String configSource,
            AgentDefinition implicit,
            AgentReferences references) {
        var validator = new AgentValidator(references);
        validator.run(definitions, defaultAgent, configSource, implicit);
        if (!validator.problems.isEmpty()) {
            throw new ConfigurationException(String.join("\n", validator.problems));
        }
    }

    /**
     * {@link #check(List, String, String, AgentDefinition, AgentReferences)} with the default agent and the file
     * from {@code config}, the implicit assistant recognised among {@code definitions}.
     */
    public static void check(List<AgentDefinition> definitions, MiuConfig config, AgentReferences references) {
        check(
                definitions,
                config.agents().defaultAgent(),
                config.source(),
                AgentDefinitions.implicit(definitions).orElse(null),
                references);
    }

    private void run(
            List<AgentDefinition> definitions, String defaultAgent, String configSource, AgentDefinition implicit) {
        for (AgentDefinition d : definitions) {
            AgentDefinition first = byName.putIfAbsent(d.name(), d);
            if (first != null) {
                problem(d, "name", "'" + d.name() + "' is declared twice: also in " + where(first));
            }
        }
        for (AgentDefinition d : definitions) {
            if (byName.get(d.name()) == d) {
                check(d, d == implicit);
            }
        }
        Optional<List<String>> cycle =
                Cycles.find(byName.keySet(), name -> byName.get(name).uses());
        cycle.ifPresent(path -> {
            AgentDefinition start = byName.get(path.getFirst());
            problem(
                    start,
                    fieldUsing(start, path.get(1)),
                    "agents run each other in a cycle: " + String.join(" -> ", path));
        });
        String chosen = defaultAgent == null ? AgentDefinition.DEFAULT_NAME : defaultAgent;
        if (!byName.containsKey(chosen)) {
            problems.add(configSource + ": default-agent: unknown agent '" + chosen + "'"
                    + Nearest.hint(chosen, byName.keySet(), "known"));
        }
    }

    // instanceof rather than switches on the sealed types: this runs in serve's start-up, where the first type switch
    // of a JVM costs 20 to 45 ms (see ConfigTree)
    private void check(AgentDefinition definition, boolean implicit) {
        if (definition instanceof AgentDefinition.Model m) {
            model(m, "model", m.model());
            int codeTools = 0;
            for (int i = 0; i < m.tools().size(); i++) {
                tool(m, "tools[" + i + "]", m.tools().get(i), implicit);
                if (m.tools().get(i) instanceof ToolRef.Code && ++codeTools == 2) {
                    problem(m, "tools[" + i + "]", "a second code: entry; an agent has one workspace");
                }
            }
        } else if (definition instanceof AgentDefinition.Router r) {
            for (int i = 0; i < r.routes().size(); i++) {
                agent(r, "routes[" + i + "].agent", r.routes().get(i).agent());
            }
            model(r, "classifier-model", r.classifierModel());
            if (r.defaultAgent() != null) {
                agent(r, "default", r.defaultAgent());
            }
            if (r.routes().isEmpty()) {
                problem(r, "routes", "a router needs at least one route");
            }
        } else if (definition instanceof AgentDefinition.Pipeline p) {
            for (int i = 0; i < p.stages().size(); i++) {
                agent(p, "stages[" + i + "]", p.stages().get(i));
            }
            if (p.stages().isEmpty()) {
                problem(p, "stages", "a pipeline needs at least one stage");
            }
        } else if (definition instanceof AgentDefinition.Orchestrator o) {
            orchestrator(o);
        }
    }

    private void orchestrator(AgentDefinition.Orchestrator o) {
        Map<String, AgentDefinition.TaskDefinition> tasks = new LinkedHashMap<>();
        o.tasks().forEach(t -> tasks.putIfAbsent(t.id(), t));
        for (int i = 0; i < o.tasks().size(); i++) {
            var task = o.tasks().get(i);
            agent(o, "tasks[" + i + "].agent", task.agent());
            for (String dep : task.dependsOn()) {
                if (!tasks.containsKey(dep)) {
                    problem(
                            o,
                            "tasks[" + i + "].depends-on",
                            "unknown task '" + dep + "'" + Nearest.hint(dep, tasks.keySet(), "tasks"));
                }
            }
        }
        if (o.tasks().isEmpty()) {
            problem(o, "tasks", "an orchestrator needs at least one task");
        }
        Cycles.find(tasks.keySet(), id -> tasks.get(id).dependsOn())
                .ifPresent(path ->
                        problem(o, "tasks", "the tasks depend on each other in a cycle: " + String.join(" -> ", path)));
    }

    private void tool(AgentDefinition.Model m, String field, ToolRef ref, boolean implicit) {
        if (ref instanceof ToolRef.Builtin b) {
            if (!references.builtinTools().contains(b.name())) {
                problem(
                        m,
                        field,
                        "unknown built-in tool '" + b.name() + "'"
                                + Nearest.hint(
                                        b.name(),
                                        references.builtinTools().stream()
                                                .sorted()
                                                .toList(),
                                        "built-in tools")
                                + "; MCP tools are written mcp: SERVER or mcp: SERVER/TOOL");
            }
        } else if (ref instanceof ToolRef.Mcp mcp) {
            if (!references.mcpServers().contains(mcp.server())) {
                problem(
                        m,
                        field,
                        "unknown MCP server '" + mcp.server() + "'"
                                + Nearest.hint(mcp.server(), references.mcpServers(), "configured servers")
                                + "; servers come from app.yaml's mcp section and --mcp-config");
            } else if (mcp.tool() != null && references.mcpTools().containsKey(mcp.server())) {
                Set<String> tools = references.mcpTools().get(mcp.server());
                if (!tools.contains(mcp.tool())) {
                    problem(
                            m,
                            field,
                            "MCP server '" + mcp.server() + "' has no tool '" + mcp.tool() + "'"
                                    + Nearest.hint(mcp.tool(), tools, "its tools"));
                }
            }
        } else if (ref instanceof ToolRef.Rag rag) {
            try {
                VectorStore.checkName(rag.collection());
            } catch (RagException e) {
                problem(m, field, e.getMessage());
                return;
            }
            if (!implicit
                    && references.collections() != null
                    && !references.collections().contains(rag.collection())) {
                problem(
                        m,
                        field,
                        "unknown RAG collection '" + rag.collection() + "'"
                                + Nearest.hint(rag.collection(), references.collections(), "collections")
                                + "; create it with: miu rag ingest --collection " + rag.collection() + " FILES");
            }
        } else if (ref instanceof ToolRef.Code code) {
            if (!Files.exists(code.workspace())) {
                problem(m, field + ".workspace", "the workspace " + code.workspace() + " does not exist");
            } else if (!Files.isDirectory(code.workspace())) {
                problem(m, field + ".workspace", "the workspace " + code.workspace() + " is not a directory");
            }
            try {
                Mode.parse(code.mode());
            } catch (IllegalArgumentException e) {
                problem(m, field + ".mode", "unknown mode '" + code.mode() + "'; use one of " + Mode.choices());
            }
            List<String> names = CodingTools.all().stream().map(Tool::name).toList();
            for (String tool : code.approvals().keySet()) {
                if (!names.contains(tool)) {
                    problem(
                            m,
                            field + ".approval." + tool,
                            "no coding tool '" + tool + "'" + Nearest.hint(tool, names, "coding tools"));
                }
            }
        } else if (ref instanceof ToolRef.AgentTool a) {
            agent(m, field + ".agent", a.agent());
        } else if (ref instanceof ToolRef.A2a a2a) {
            URI url = a2a.url();
            if (!("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))
                    || url.getHost() == null) {
                problem(m, field + ".a2a", "must be an http:// or https:// URL of an A2A agent, found '" + url + "'");
            }
        }
    }

    private void agent(AgentDefinition from, String field, String name) {
        if (!byName.containsKey(name)) {
            problem(from, field, "unknown agent '" + name + "'" + Nearest.hint(name, byName.keySet(), "known"));
        }
    }

    /** Only the provider's name is checked: missing credentials fail a turn (503), not the start. */
    private void model(AgentDefinition d, String field, String model) {
        if (model == null) {
            return;
        }
        try {
            String provider = ModelSpec.parse(model).provider();
            if (!Providers.KNOWN.contains(provider)) {
                problem(
                        d,
                        field,
                        "unknown provider '" + provider + "' in '" + model + "'"
                                + Nearest.hint(provider, Providers.KNOWN, "providers"));
            }
        } catch (ConfigurationException e) {
            problem(d, field, e.getMessage());
        }
    }

    /** The field of {@code from} that runs {@code used}: for a cycle's message. */
    private static String fieldUsing(AgentDefinition from, String used) {
        return switch (from) {
            case AgentDefinition.Model m -> {
                for (int i = 0; i < m.tools().size(); i++) {
                    if (m.tools().get(i) instanceof ToolRef.AgentTool a
                            && a.agent().equals(used)) {
                        yield "tools[" + i + "].agent";
                    }
                }
                yield "tools";
            }
            case AgentDefinition.Router r -> {
                for (int i = 0; i < r.routes().size(); i++) {
                    if (r.routes().get(i).agent().equals(used)) {
                        yield "routes[" + i + "].agent";
                    }
                }
                yield "default";
            }
            case AgentDefinition.Pipeline p -> "stages[" + p.stages().indexOf(used) + "]";
            case AgentDefinition.Orchestrator o -> {
                for (int i = 0; i < o.tasks().size(); i++) {
                    if (o.tasks().get(i).agent().equals(used)) {
                        yield "tasks[" + i + "].agent";
                    }
                }
                yield "tasks";
            }
        };
    }

    private void problem(AgentDefinition d, String field, String problem) {
        problems.add(where(d) + ": agent '" + d.name() + "': " + field + ": " + problem);
    }

    /** The declaring file as the user wrote it. */
    static String where(AgentDefinition d) {
        return d.source() == null ? "(declared in code)" : d.source().toString();
    }
}
