package dev.miu.cli;

import dev.miu.agents.ConfiguredAgents;
import dev.miu.config.MiuConfig;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.tracing.Tracing;
import dev.miu.core.tracing.TracingSetup;
import dev.miu.rag.Embedders;
import dev.miu.rag.KnowledgeBase;
import dev.miu.rag.RagSettings;
import dev.miu.studio.Studio;
import dev.miu.studio.mcp.McpDispatcher;
import dev.miu.studio.mcp.McpStdioServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code miu mcp}: serves the hosted agents as MCP tools over stdio until the client closes stdin. The agents,
 * their MCP servers and the session store are set up as {@code miu serve} sets them up (the conversations are the
 * studio's sessions in {@code MIU_DATA_DIR}). stdout carries only protocol messages: everything else, logs and
 * stray prints included, goes to stderr.
 */
@Command(
        name = "mcp",
        mixinStandardHelpOptions = true,
        description = "Serve the agents as MCP tools (ask_<agent>) over stdio, for MCP hosts such as Claude Desktop.")
public final class McpCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = OptionText.CONFIG)
    Path configFile;

    @Option(
            names = {"-m", "--model"},
            paramLabel = "PROVIDER:MODEL",
            description = "Default model of agents that name none (default: MIU_MODEL, agent.model).")
    String model;

    @Option(names = "--mcp-config", paramLabel = "FILE", description = OptionText.MCP_CONFIG)
    Path mcpConfigFile;

    @Option(names = "--agents", paramLabel = "DIR", description = OptionText.AGENTS)
    Path agentsDir;

    @CommandLine.ParentCommand
    MiuCommand parent;

    /** The environment and the streams to use; tests replace them. Null means the process's. */
    Map<String, String> env;

    InputStream in;
    OutputStream out;
    PrintWriter err;

    @Override
    public Integer call() throws Exception {
        if (env == null) {
            env = parent != null ? parent.environment : System.getenv();
        }
        PrintStream stdout = System.out;
        if (out == null) {
            // the protocol owns stdout: anything else printed by accident must not corrupt it
            out = stdout;
            System.setOut(System.err);
        }
        if (in == null) {
            in = System.in;
        }
        if (err == null) {
            err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        }
        MiuConfig config = config();
        Tracing tracing = TracingSetup.create(config.tracing());
        Tracing.install(tracing);
        Path mcpFile = mcpConfigFile != null ? mcpConfigFile : parent == null ? null : parent.mcpConfigFile();
        McpServers mcp = McpStartup.start(config, mcpFile, env, Path.of("").toAbsolutePath(), err);
        RagSettings ragSettings = config.rag();
        KnowledgeBase knowledge = Embedders.knowledgeBase(ragSettings, config.providers());
        Studio studio = null;
        try {
            ConfiguredAgents agents = ConfiguredAgents.load(config, mcp, knowledge, ProviderOptions.DEFAULT);
            studio = Studio.create(config, mcp, knowledge, ragSettings, agents); // fails if a server has the store
            err.println("miu mcp: serving agents " + String.join(", ", agents.names()) + " as MCP tools on stdio"
                    + " (sessions in " + config.dataDir() + ")");
            new McpStdioServer(
                            McpDispatcher.create(studio.chat(), studio.sessions(), config),
                            config.server().maxBodyBytes())
                    .serve(in, out);
            return 0;
        } finally {
            if (studio != null) {
                studio.sessions().shutdown();
            }
            mcp.close();
            knowledge.close();
            TracingSetup.shutdown(tracing);
            Tracing.install(Tracing.NOOP);
            if (out == stdout) {
                System.setOut(stdout);
            }
        }
    }

    MiuConfig config() {
        return ServeCommand.studioConfig(configFile, model, agentsDir, parent, env);
    }
}
