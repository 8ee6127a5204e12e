package dev.miu.cli;

import dev.miu.code.CodingOptions;
import dev.miu.config.MiuConfig;
import dev.miu.config.TracingConfig;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.tracing.Tracing;
import dev.miu.core.tracing.TracingSetup;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What a terminal command sets up before its agent runs and tears down after: the configuration (read from the
 * root command's environment), tracing, and the MCP servers whose tools the agent gets.
 */
final class CliRuntime implements AutoCloseable {

    private final MiuConfig config;
    private final Tracing tracing;
    private final Tracing previousTracing;
    private final McpServers mcp;

    private CliRuntime(MiuConfig config, Tracing tracing, Tracing previousTracing, McpServers mcp) {
        this.config = config;
        this.tracing = tracing;
        this.previousTracing = previousTracing;
        this.mcp = mcp;
    }

    static CliRuntime open(MiuCommand root, Path configFile, PrintWriter err) {
        MiuConfig config = MiuConfig.load(configFile, root.environment);
        Tracing tracing = TracingSetup.create(TracingConfig.load(config, root.environment));
        Tracing previous = Tracing.install(tracing);
        try {
            McpServers mcp = McpStartup.start(config, root.mcpConfigFile(), root.environment,
                    Path.of("").toAbsolutePath(), err);
            return new CliRuntime(config, tracing, previous, mcp);
        } catch (RuntimeException e) {
            Tracing.install(previous);
            TracingSetup.shutdown(tracing);
            throw e;
        }
    }

    MiuConfig config() {
        return config;
    }

    /** {@code options} with the running MCP servers' tools added (asked for again each turn, so list changes show). */
    CodingOptions withMcpTools(CodingOptions options) {
        return mcp.isEmpty() ? options : options.withExtraTools(mcp::tools);
    }

    @Override
    public void close() {
        mcp.close();
        Tracing.install(previousTracing);
        TracingSetup.shutdown(tracing);
    }
}
