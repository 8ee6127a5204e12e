package dev.miu.examples;

import dev.miu.core.ConfigurationException;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.json.Json;
import dev.miu.core.mcp.McpClient;
import dev.miu.core.mcp.McpServerConfig;
import dev.miu.core.mcp.McpTool;
import dev.miu.core.mcp.McpToolBridge;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.tool.ToolRegistry;

import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An MCP server's tools in an agent: connect to the reference "everything" server over stdio, list its tools,
 * call one directly, then let an agent use them. The server is {@code mcp-server-everything} when it is installed
 * ({@code npm install -g @modelcontextprotocol/server-everything}), else {@code npx -y} fetches it.
 */
public final class McpClientExample implements Example {

    static final String QUESTION = "Use your tools to add 1234 and 4321, then tell me the sum.";

    public static void main(String[] args) {
        System.exit(new McpClientExample().run(ExampleContext.fromEnvironment()));
    }

    @Override
    public String name() {
        return "mcp-client";
    }

    @Override
    public String description() {
        return "Tools from a Model Context Protocol server (server-everything over stdio) used by an agent";
    }

    @Override
    public int run(ExampleContext context) {
        PrintWriter out = context.out();
        ModelSpec model = context.modelSpec();
        try (McpClient client = McpClient.connect("everything", everythingServer(), null, McpClient.Options.DEFAULT)) {
            out.println("Connected to " + client.serverInfo().name() + " "
                    + client.serverInfo().version() + " (MCP "
                    + client.serverInfo().protocolVersion() + ")");
            List<McpTool> tools = client.listTools();
            out.println("Tools: "
                    + String.join(", ", tools.stream().map(McpTool::name).toList()));
            out.println("Direct call get-sum(2, 3): "
                    + client.callTool(
                                    "get-sum",
                                    Json.object().add("a", 2).add("b", 3).build())
                            .text());

            var registry = new ToolRegistry();
            McpToolBridge.bridge(client, tools).forEach(b -> registry.register(b.tool()));
            var agent = new ReActAgent(
                    AgentConfig.of("mcp-client", model.toString())
                            .withSystemPrompt("Use the tools you are given; do not compute in your head."),
                    context.provider(model),
                    registry);
            out.println("Question: " + QUESTION);
            agent.stream(QUESTION, event -> {
                switch (event) {
                    case AgentEvent.ToolCall call -> out.println("  -> " + call.name() + " " + call.input());
                    case AgentEvent.ToolResult result -> out.println("  <- " + result.output());
                    case AgentEvent.TextDelta delta -> out.print(delta.text());
                    default -> {}
                }
                out.flush();
            });
            out.println();
            out.flush();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /** The installed server binary if there is one, else npx (which needs the npm registry). */
    static McpServerConfig everythingServer() {
        Path binary = onPath("mcp-server-everything");
        if (binary != null) {
            return new McpServerConfig.Stdio(binary.toString(), List.of("stdio"), Map.of());
        }
        Path npx = onPath("npx");
        if (npx != null) {
            return new McpServerConfig.Stdio(
                    npx.toString(), List.of("-y", "@modelcontextprotocol/server-everything", "stdio"), Map.of());
        }
        throw new ConfigurationException("The mcp-client example needs Node.js: install it and run "
                + "npm install -g @modelcontextprotocol/server-everything");
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
