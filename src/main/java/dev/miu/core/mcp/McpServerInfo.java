package dev.miu.core.mcp;

import jakarta.json.JsonObject;

/**
 * What a server said about itself in its {@code initialize} answer.
 *
 * @param protocolVersion the version both sides agreed on
 * @param capabilities    the server's capabilities object, as sent
 * @param instructions    hints for using the server, or {@code null}
 */
public record McpServerInfo(
        String name, String version, String protocolVersion, JsonObject capabilities, String instructions) {

    /** The server promised {@code notifications/tools/list_changed}. */
    public boolean toolsListChanged() {
        JsonObject tools = dev.miu.core.json.Json.object(capabilities, "tools");
        return tools != null && tools.getBoolean("listChanged", false);
    }

    public boolean hasTools() {
        return capabilities.containsKey("tools");
    }
}
