package dev.miu.cli;

import dev.miu.config.MiuConfig;
import dev.miu.core.mcp.McpClient;
import dev.miu.core.mcp.McpServerState;
import dev.miu.core.mcp.McpServers;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts the MCP servers a command should give its agent (app.yaml's {@code mcp} section plus
 * {@code --mcp-config FILE}) and tells the user on stderr about each one that failed; the others still work.
 * Every command that runs an agent ({@code miu -q}, the REPL, the TUI, {@code serve}) uses this.
 */
public final class McpStartup {

    private McpStartup() {}

    /** The started servers (possibly none); the caller closes them when it is done. */
    public static McpServers start(
            MiuConfig config, Path mcpConfigFile, Map<String, String> env, Path workingDir, PrintWriter err) {
        var servers = config.mcp().withFile(mcpConfigFile, env);
        if (servers.isEmpty()) {
            return McpServers.none();
        }
        McpServers started;
        try {
            started = McpServers.start(servers, workingDir, McpClient.Options.DEFAULT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.miu.core.CancelledException("interrupted while starting MCP servers");
        }
        for (McpServerState failed : started.failures()) {
            err.println("miu: MCP server '" + failed.name() + "' is not available: " + failed.error());
        }
        err.flush();
        return started;
    }
}
