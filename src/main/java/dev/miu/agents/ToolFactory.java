package dev.miu.agents;

import dev.miu.code.Mode;
import dev.miu.code.tools.CodingTools;
import dev.miu.config.AgentDefinition;
import dev.miu.config.ToolRef;
import dev.miu.core.ConfigurationException;
import dev.miu.core.a2a.A2aTools;
import dev.miu.core.agent.Agent;
import dev.miu.core.agent.ApprovalPolicy;
import dev.miu.core.mcp.McpServerState;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.mcp.McpToolBridge;
import dev.miu.core.pattern.AgentTool;
import dev.miu.core.tool.BuiltinTools;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolRegistry;
import dev.miu.rag.KnowledgeBase;
import dev.miu.rag.RagSettings;
import dev.miu.rag.SearchKnowledgeTool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Turns a model agent's {@link ToolRef}s into the tools of one run. */
final class ToolFactory {

    private final McpServers mcp;
    private final KnowledgeBase knowledge;
    private final RagSettings rag;
    private final Function<String, AgentDefinition> definitions;
    private final BiFunction<String, SamplingLimits, Agent> agents;
    private final A2aTools remote;
    private final Function<String, String> environment;

    /**
     * @param knowledge   the knowledge base behind {@code rag:} tools, or null when there is none
     * @param definitions a declared agent by name, for an agent tool's description
     * @param agents      a runnable agent by name under a turn's limits, made when a toolset with its tool is made
     * @param remote      the remote A2A agents behind {@code a2a:} tools (their cards are kept)
     * @param environment an environment variable's value by name, for an {@code a2a:} tool's {@code api-key-env}
     */
    ToolFactory(
            McpServers mcp,
            KnowledgeBase knowledge,
            RagSettings rag,
            Function<String, AgentDefinition> definitions,
            BiFunction<String, SamplingLimits, Agent> agents,
            A2aTools remote,
            Function<String, String> environment) {
        this.remote = remote;
        this.environment = environment;
        this.mcp = mcp;
        this.knowledge = knowledge;
        this.rag = rag;
        this.definitions = definitions;
        this.agents = agents;
    }

    /** A model agent's tools and which of their calls wait for a person's approval. */
    record Toolset(ToolRegistry registry, ApprovalPolicy policy) {}

    /**
     * The tools of {@code refs}, in order, with their approval policy. MCP tools are those of the servers' current
     * lists (a server that is down adds none); a tool two entries both give (an MCP server and one of its tools) is
     * added once, and what the per-tool entry says about approval wins. A tool whose entry says nothing waits as
     * {@link ApprovalRules#defaults} says. The agents used as tools run under the turn's {@code limits}.
     */
    Toolset toolset(List<ToolRef> refs, SamplingLimits limits) {
        var registry = new ToolRegistry();
        Map<String, Boolean> waits = new HashMap<>();
        for (ToolRef ref : refs) {
            for (Tool tool : tools(ref, limits)) {
                String name = tool.name();
                boolean first = registry.get(name).isEmpty();
                if (first) {
                    registry.register(tool);
                }
                boolean specific = ref instanceof ToolRef.Mcp m && m.tool() != null && m.approval() != null;
                if (first || specific) {
                    waits.put(name, ApprovalRules.waits(ref, name, mcpReadOnly(ref, name)));
                }
            }
        }
        Set<String> gated = new HashSet<>();
        waits.forEach((name, w) -> {
            if (w) {
                gated.add(name);
            }
        });
        return new Toolset(registry, gated.isEmpty() ? ApprovalPolicy.NEVER : ApprovalPolicy.forTools(gated));
    }

    /** Whether {@code ref}'s server marks the tool named {@code name} read-only; false for other kinds. */
    private boolean mcpReadOnly(ToolRef ref, String name) {
        if (!(ref instanceof ToolRef.Mcp m)) {
            return false;
        }
        return mcp.states().stream()
                .filter(state -> state.name().equals(m.server()))
                .flatMap(state -> state.tools().stream())
                .anyMatch(b -> b.readOnly() && b.tool().name().equals(name));
    }

    private List<Tool> tools(ToolRef ref, SamplingLimits limits) {
        return switch (ref) {
            case ToolRef.Builtin b -> {
                var tool = BuiltinTools.catalogue().get(b.name());
                if (tool == null) {
                    throw new ConfigurationException("Unknown built-in tool '" + b.name() + "'");
                }
                yield List.of(tool.get());
            }
            case ToolRef.Mcp m -> {
                List<Tool> tools = new ArrayList<>();
                for (McpServerState state : mcp.states()) {
                    if (state.name().equals(m.server())) {
                        state.tools().stream()
                                .filter(b -> m.tool() == null || b.mcpName().equals(m.tool()))
                                .map(McpToolBridge.Bridged::tool)
                                .forEach(tools::add);
                    }
                }
                yield tools;
            }
            case ToolRef.Rag r -> {
                if (knowledge == null) {
                    throw new ConfigurationException(
                            "The tool rag: " + r.collection() + " needs a knowledge base, and this runs without one");
                }
                yield List.of(SearchKnowledgeTool.create(knowledge, r.collection(), rag.topK(), rag.searchMode()));
            }
            case ToolRef.Code c -> codingTools(c);
            case ToolRef.AgentTool a -> {
                AgentDefinition target = definitions.apply(a.agent());
                yield List.of(AgentTool.of(agents.apply(a.agent(), limits), target.description()));
            }
            case ToolRef.A2a a -> List.of(remote.tool(a.url(), apiKey(a), a.timeout()));
        };
    }

    /** The remote agent's key from the variable its entry names; a missing one fails the turn as a missing key does. */
    private String apiKey(ToolRef.A2a a) {
        if (a.apiKeyEnv() == null) {
            return null;
        }
        String key = environment.apply(a.apiKeyEnv());
        if (key == null || key.isBlank()) {
            throw new ConfigurationException("The tool a2a: " + a.url() + " needs the environment variable "
                    + a.apiKeyEnv() + " (its api-key-env), which is not set");
        }
        return key;
    }

    /**
     * The coding tools confined to the entry's workspace: every call runs with the workspace as its working
     * directory, which Read, Write, Edit, Glob and Grep never leave (Bash starts there). {@code plan} gives the
     * read-only tools only. Which calls wait for a person is the entry's {@code approval:} ({@link ApprovalRules}).
     */
    private static List<Tool> codingTools(ToolRef.Code code) {
        Mode mode = Mode.parse(code.mode());
        Path workspace = code.workspace();
        return CodingTools.all().stream()
                .filter(t -> mode != Mode.PLAN || CodingTools.isReadOnly(t.name()))
                .map(t -> new Tool(
                        t.spec(), (input, context) -> t.handler().call(input, context.withWorkingDir(workspace))))
                .toList();
    }
}
