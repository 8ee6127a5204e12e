package dev.miu.agents;

import dev.miu.core.ConfigurationException;
import dev.miu.core.mcp.McpServerState;
import dev.miu.core.mcp.McpServerStatus;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.mcp.McpToolBridge;
import dev.miu.core.tool.BuiltinTools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What declared agents may refer to besides each other, as far as it is known where they are checked.
 *
 * @param builtinTools the built-in tools' names
 * @param mcpServers   every configured MCP server (app.yaml's and {@code --mcp-config}'s), started or not
 * @param mcpTools     the MCP names of the tools of each server that started and listed them; a server missing
 *                     here (not started, or failed) has its tool names unchecked
 * @param collections  the knowledge base's collections, or null when they are not checked
 */
public record AgentReferences(
        Set<String> builtinTools, Set<String> mcpServers, Map<String, Set<String>> mcpTools, Set<String> collections) {

    public AgentReferences {
        builtinTools = Set.copyOf(builtinTools);
        mcpServers = Collections.unmodifiableSet(new LinkedHashSet<>(mcpServers));
        mcpTools = Map.copyOf(mcpTools);
        collections = collections == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(collections));
    }

    /**
     * The collections under a knowledge base's directory ({@code rag.storeDir}), by their folders: without opening
     * them, so a running server's open indexes are not disturbed. None when the directory does not exist.
     */
    public static List<String> collectionsIn(Path storeDir) {
        if (!Files.isDirectory(storeDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(storeDir)) {
            return dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ConfigurationException("Cannot list the collections in " + storeDir + ": " + e.getMessage());
        }
    }

    /** MCP servers known by name only (not started): {@code miu agents check} without {@code --with-mcp}. */
    public static AgentReferences byName(Collection<String> mcpServers, Collection<String> collections) {
        return new AgentReferences(
                BuiltinTools.catalogue().keySet(),
                new LinkedHashSet<>(mcpServers),
                Map.of(),
                collections == null ? null : new LinkedHashSet<>(collections));
    }

    /** The started servers {@code mcp}, whose connected ones' tools are checked too. */
    public static AgentReferences of(McpServers mcp, Collection<String> collections) {
        Set<String> servers = new LinkedHashSet<>();
        Map<String, Set<String>> tools = new LinkedHashMap<>();
        for (McpServerState state : mcp.states()) {
            servers.add(state.name());
            if (state.status() == McpServerStatus.CONNECTED) {
                tools.put(
                        state.name(),
                        state.tools().stream()
                                .map(McpToolBridge.Bridged::mcpName)
                                .collect(Collectors.toCollection(LinkedHashSet::new)));
            }
        }
        return new AgentReferences(
                BuiltinTools.catalogue().keySet(),
                servers,
                tools,
                collections == null ? null : new LinkedHashSet<>(collections));
    }
}
