package dev.miu.config;

import dev.miu.core.ConfigurationException;
import dev.miu.core.json.Json;
import dev.miu.core.mcp.McpConfig;
import dev.miu.core.mcp.McpServerConfig;
import jakarta.json.JsonValue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code mcp} section: the MCP servers miu should start, in the common {@code {"mcpServers": {NAME: {...}}}}
 * shape, with {@code ${VAR}} taken from the environment.
 *
 * @param servers by name, in the file's order
 */
public record McpSettings(Map<String, McpServerConfig> servers) {

    public static final McpSettings NONE = new McpSettings(Map.of());

    public McpSettings {
        servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
    }

    /**
     * These servers, then those of a {@code --mcp-config FILE} ({@code file} may be null); a server named in both
     * comes from the file. Mistakes in the file are a {@link ConfigurationException} naming it.
     */
    public Map<String, McpServerConfig> withFile(Path file, Map<String, String> env) {
        if (file == null) {
            return servers;
        }
        Map<String, McpServerConfig> all = new LinkedHashMap<>(servers);
        all.putAll(McpConfig.read(file, env));
        return Collections.unmodifiableMap(all);
    }

    /** The servers under {@code mcp.mcpServers}; none if the section is absent. {@code source} names the file. */
    static McpSettings from(ConfigTree mcp, String source, Map<String, String> env) {
        if (!mcp.exists()) {
            return NONE;
        }
        if (mcp.type() != ConfigTree.Type.OBJECT) {
            throw new ConfigurationException(source + ": \"mcp\" must be a section holding \"mcpServers\"");
        }
        ConfigTree servers = mcp.get("mcpServers");
        if (!servers.exists()
                || (servers.type() == ConfigTree.Type.VALUE
                        && servers.asString().orElse("").isBlank())) {
            return NONE;
        }
        return new McpSettings(
                McpConfig.parse(Json.object().add("mcpServers", toJson(servers)).build(), source + " (mcp)", env));
    }

    /** The config tree as JSON (its leaves are strings; the MCP parser accepts strings for flags too). */
    private static JsonValue toJson(ConfigTree node) {
        return switch (node.type()) {
            case OBJECT -> {
                var b = Json.object();
                node.children().forEach(child -> b.add(child.name(), toJson(child)));
                yield b.build();
            }
            case LIST -> {
                var b = Json.array();
                node.children().forEach(child -> b.add(toJson(child)));
                yield b.build();
            }
            case VALUE -> Json.string(node.asString().orElse(""));
            case MISSING -> JsonValue.NULL;
        };
    }
}
