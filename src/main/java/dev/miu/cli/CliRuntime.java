package dev.miu.cli;

import dev.miu.code.CodingOptions;
import dev.miu.config.MiuConfig;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolRegistry;
import dev.miu.core.tracing.Tracing;
import dev.miu.core.tracing.TracingSetup;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a terminal command sets up before its agent runs and tears down after: the configuration (read from the
 * root command's environment), tracing, the MCP servers whose tools the agent gets, and the RAG collection
 * behind its search_knowledge tool.
 */
final class CliRuntime implements AutoCloseable {

    private final MiuConfig config;
    private final Tracing tracing;
    private final Tracing previousTracing;
    private final McpServers mcp;
    private final RagCommand.Opened knowledge;
    private final List<Tool> knowledgeTools;
    private final CliAgents agents;

    private CliRuntime(
            MiuConfig config,
            Tracing tracing,
            Tracing previousTracing,
            McpServers mcp,
            RagCommand.Opened knowledge,
            List<Tool> knowledgeTools,
            CliAgents agents) {
        this.config = config;
        this.tracing = tracing;
        this.previousTracing = previousTracing;
        this.mcp = mcp;
        this.knowledge = knowledge;
        this.knowledgeTools = knowledgeTools;
        this.agents = agents;
    }

    /**
     * @param env           the environment settings are read from
     * @param configFile    the {@code --config} file, or null
     * @param mcpConfigFile the {@code --mcp-config} file, or null
     * @param collection    the {@code --collection} flag, or null for {@code rag.collection} in app.yaml
     * @param agentsDir     the {@code --agents} directory, or null for the configured one
     */
    static CliRuntime open(
            Map<String, String> env,
            Path configFile,
            Path mcpConfigFile,
            String collection,
            Path agentsDir,
            PrintWriter err) {
        MiuConfig loaded = MiuConfig.load(configFile, env);
        MiuConfig config =
                agentsDir == null ? loaded : loaded.withAgents(loaded.agents().withDir(agentsDir));
        Tracing tracing = TracingSetup.create(config.tracing());
        Tracing previous = Tracing.install(tracing);
        McpServers mcp = null;
        try {
            var registry = new ToolRegistry();
            RagCommand.Opened knowledge = RagCommand.addKnowledgeTool(config, collection, registry);
            try {
                mcp = McpStartup.start(config, mcpConfigFile, env, Path.of("").toAbsolutePath(), err);
            } catch (RuntimeException e) {
                knowledge.close();
                throw e;
            }
            return new CliRuntime(
                    config, tracing, previous, mcp, knowledge, registry.tools(), new CliAgents(config, mcp));
        } catch (RuntimeException e) {
            Tracing.install(previous);
            TracingSetup.shutdown(tracing);
            throw e;
        }
    }

    MiuConfig config() {
        return config;
    }

    /**
     * {@code options} with the tools from outside added, asked for again each turn so MCP list changes show. MCP
     * tools their server marks read-only ({@code readOnlyHint}) and search_knowledge run without asking in every
     * mode (so also in {@code miu -q} and while planning); the other MCP tools need approval like Write and Bash.
     */
    CodingOptions withOutsideTools(CodingOptions options) {
        if (mcp.isEmpty()) {
            return knowledgeTools.isEmpty() ? options : options.withReadOnlyTools(() -> knowledgeTools);
        }
        return options.withExtraTools(mcp::toolsThatMayChange).withReadOnlyTools(() -> {
            List<Tool> readOnly = new ArrayList<>(knowledgeTools);
            readOnly.addAll(mcp.readOnlyTools());
            return readOnly;
        });
    }

    /** {@code options} with the declared agents {@code /agent} switches to, starting with {@code agent} (or none). */
    CodingOptions withDeclaredAgents(CodingOptions options, String agent) {
        return options.withDeclaredAgents(agents, agent);
    }

    @Override
    public void close() {
        agents.close();
        mcp.close();
        knowledge.close();
        Tracing.install(previousTracing);
        TracingSetup.shutdown(tracing);
    }
}
