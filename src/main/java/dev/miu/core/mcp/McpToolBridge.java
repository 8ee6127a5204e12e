package dev.miu.core.mcp;

import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Turns an MCP server's tools into miu {@link Tool}s. Each is named {@code SERVER__tool} (characters outside
 * {@code [a-zA-Z0-9_-]} become {@code _}; names over 64 characters are shortened with a hash so they stay unique),
 * keeps the server's input schema, and calls the server when run. A result with {@code isError} becomes an error
 * result the model reads; a protocol failure or timeout is thrown, which the registry also shows the model.
 */
public final class McpToolBridge {

    public static final String SEPARATOR = "__";
    private static final int MAX_NAME = 64;
    private static final System.Logger LOG = System.getLogger(McpToolBridge.class.getName());

    private McpToolBridge() {}

    /**
     * A miu tool backed by MCP tool {@code mcpName} of server {@code server}.
     *
     * @param readOnly the server marks the tool read-only ({@link McpTool#readOnly()})
     */
    public record Bridged(String server, String mcpName, Tool tool, boolean readOnly) {}

    /** The miu name of MCP tool {@code tool} on server {@code server}. */
    public static String toolName(String server, String tool) {
        String name = (server + SEPARATOR + tool).replaceAll("[^a-zA-Z0-9_-]", "_");
        if (name.length() <= MAX_NAME) {
            return name;
        }
        String hash = HexFormat.of().toHexDigits(name.hashCode());
        return name.substring(0, MAX_NAME - hash.length() - 1) + "_" + hash;
    }

    /**
     * Bridges every tool of {@code client}'s list. Tools that can run only as MCP tasks are left out (this client
     * does not run tasks); if two names collide after cleaning, the later one gets a numbered suffix.
     */
    public static List<Bridged> bridge(McpClient client, List<McpTool> tools) {
        List<Bridged> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (McpTool tool : tools) {
            if (tool.taskRequired()) {
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "MCP server ''{0}'': skipping tool {1}, which runs only as a task",
                        client.name(),
                        tool.name());
                continue;
            }
            String name = toolName(client.name(), tool.name());
            for (int n = 2; !used.add(name); n++) {
                String suffix = "_" + n;
                String base = toolName(client.name(), tool.name());
                name = (base.length() + suffix.length() > MAX_NAME
                                ? base.substring(0, MAX_NAME - suffix.length())
                                : base)
                        + suffix;
            }
            out.add(new Bridged(client.name(), tool.name(), toTool(client, tool, name), tool.readOnly()));
        }
        return out;
    }

    private static Tool toTool(McpClient client, McpTool tool, String name) {
        String description = !tool.description().isBlank()
                ? tool.description()
                : tool.title() != null ? tool.title() : "Tool " + tool.name() + " of MCP server " + client.name();
        return Tool.of(name, description, tool.inputSchema(), (input, context) -> {
            McpToolResult result = client.callTool(tool.name(), input);
            return new ToolResult(result.text(), result.isError());
        });
    }
}
