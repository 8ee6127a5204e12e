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
 * The MCP servers miu should start: the {@code mcp} section of app.yaml, then a {@code --mcp-config FILE}, both in
 * the common {@code {"mcpServers": {NAME: {...}}}} shape. A server named in both comes from the file.
 */
public final class McpSettings {

    private McpSettings() {
    }

    /**
     * Reads app.yaml's {@code mcp} section and then {@code file} (may be null). Mistakes in either are a
     * {@link ConfigurationException} naming where they are.
     */
    public static Map<String, McpServerConfig> load(MiuConfig config, Path file, Map<String, String> env) {
        Map<String, McpServerConfig> servers = new LinkedHashMap<>(fromYaml(config.yaml(), config.source(), env));
        if (file != null) {
            servers.putAll(McpConfig.read(file, env));
        }
        return Collections.unmodifiableMap(servers);
    }

    /** The servers under {@code mcp.mcpServers} in app.yaml, by name; none if the section is absent. */
    public static Map<String, McpServerConfig> fromYaml(ConfigTree yaml, String source, Map<String, String> env) {
        ConfigTree mcp = yaml.get("mcp");
        if (!mcp.exists()) {
            return Map.of();
        }
        if (mcp.type() != ConfigTree.Type.OBJECT) {
            throw new ConfigurationException(source + ": \"mcp\" must be a section holding \"mcpServers\"");
        }
        ConfigTree servers = mcp.get("mcpServers");
        if (!servers.exists() || (servers.type() == ConfigTree.Type.VALUE && servers.asString().orElse("").isBlank())) {
            return Map.of();
        }
        return McpConfig.parse(Json.object().add("mcpServers", toJson(servers)).build(), source + " (mcp)", env);
    }

    /** The config tree as JSON (its leaves are strings; the MCP parser accepts strings for flags too). */
    private static JsonValue toJson(ConfigTree node) {
        return switch (node.type()) {
            case OBJECT -> {
                var b = Json.object();
                // the YAML parser does not keep key order; sort so servers are started and listed predictably
                node.children().stream().sorted(java.util.Comparator.comparing(ConfigTree::name))
                        .forEach(child -> b.add(child.name(), toJson(child)));
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
