package dev.miu.studio.http;

import dev.miu.core.mcp.McpServers;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /mcp/servers}: each configured MCP server with its status (running or why it failed) and its tools. */
public final class McpService implements HttpService {

    private final McpServers servers;

    public McpService(McpServers servers) {
        this.servers = servers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/mcp/servers", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        HttpJson.send(res, servers.toJson());
    }
}
