package dev.miu.core.mcp;

import dev.miu.core.ConfigurationException;
import dev.miu.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The common {@code {"mcpServers": {...}}} shape and every way it can be wrong. */
class McpConfigTest {

    private static final Map<String, String> ENV = Map.of("GH_TOKEN", "ghp_123", "HOME", "/home/me");

    private static Map<String, McpServerConfig> parse(String json) {
        return McpConfig.parse(Json.parseObject(json), "mcp.json", ENV);
    }

    private static String error(String json) {
        return assertThrows(ConfigurationException.class, () -> parse(json)).getMessage();
    }

    @Test
    void readsStdioAndHttpServersInOrder() {
        var servers = parse("""
                {"mcpServers": {
                  "fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "${HOME}/work"],
                         "env": {"DEBUG": "1"}},
                  "github": {"type": "http", "url": "https://api.example.com/mcp",
                             "headers": {"Authorization": "Bearer ${GH_TOKEN}"}},
                  "cursor-style": {"url": "http://127.0.0.1:3001/mcp"},
                  "off": {"command": "nothing", "disabled": true}
                }}""");
        assertEquals(List.of("fs", "github", "cursor-style"), List.copyOf(servers.keySet()));
        assertEquals(
                new McpServerConfig.Stdio(
                        "npx",
                        List.of("-y", "@modelcontextprotocol/server-filesystem", "/home/me/work"),
                        Map.of("DEBUG", "1")),
                servers.get("fs"));
        assertEquals(
                new McpServerConfig.Http(
                        URI.create("https://api.example.com/mcp"), Map.of("Authorization", "Bearer ghp_123")),
                servers.get("github"));
        assertEquals("http", servers.get("cursor-style").transport());
        assertEquals(
                "npx -y @modelcontextprotocol/server-filesystem /home/me/work",
                servers.get("fs").target());
    }

    @Test
    void variablesMayHaveDefaults() {
        var servers = parse("{\"mcpServers\": {\"a\": {\"command\": \"${MISSING:-fallback}\"}}}");
        assertEquals("fallback", ((McpServerConfig.Stdio) servers.get("a")).command());
    }

    @Test
    void explainsEveryMistake() {
        assertTrue(error("{\"servers\": {}}").contains("expected an object with \"mcpServers\""));
        assertTrue(error("{\"mcpServers\": []}").contains("must be an object"));
        assertTrue(
                error("{\"mcpServers\": {\"my server\": {\"command\": \"x\"}}}").contains("a server name must be"));
        assertTrue(error("{\"mcpServers\": {\"a\": {}}}").contains("needs either \"command\" (stdio) or \"url\""));
        assertTrue(error("{\"mcpServers\": {\"a\": {\"type\": \"stdio\"}}}").contains("\"command\" is required"));
        assertTrue(error("{\"mcpServers\": {\"a\": {\"command\": \"x\", \"args\": \"-y\"}}}")
                .contains("\"args\" must be an array"));
        assertTrue(error("{\"mcpServers\": {\"a\": {\"command\": \"x\", \"env\": {\"K\": [1]}}}}")
                .contains("\"env.K\" must be a string"));
        assertTrue(error("{\"mcpServers\": {\"a\": {\"type\": \"sse\", \"url\": \"http://h/sse\"}}}")
                .contains("not supported"));
        assertTrue(error("{\"mcpServers\": {\"a\": {\"type\": \"websocket\", \"url\": \"ws://h\"}}}")
                .contains("unknown \"type\""));
        assertTrue(
                error("{\"mcpServers\": {\"a\": {\"url\": \"ftp://h/mcp\"}}}").contains("must be http:// or https://"));
        assertTrue(error("{\"mcpServers\": {\"a\": {\"url\": \"http://\"}}}").contains("a"));
        assertTrue(error("{\"mcpServers\": {\"a\": {\"command\": \"x\", \"disabled\": \"maybe\"}}}")
                .contains("true or false"));
        String missingVar = error(
                "{\"mcpServers\": {\"a\": {\"url\": \"https://h/mcp\", \"headers\": {\"Authorization\": \"${NOPE}\"}}}}");
        assertTrue(missingVar.contains("environment variable NOPE is not set"), missingVar);
        assertTrue(missingVar.startsWith("mcp.json: MCP server 'a'"), missingVar);
    }

    @Test
    void readsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("servers.json");
        Files.writeString(file, "{\"mcpServers\": {\"echo\": {\"command\": \"cat\"}}}");
        assertEquals(Map.of("echo", new McpServerConfig.Stdio("cat", List.of(), Map.of())), McpConfig.read(file, ENV));
        Files.writeString(file, "{\"mcpServers\": ");
        String e = assertThrows(ConfigurationException.class, () -> McpConfig.read(file, ENV))
                .getMessage();
        assertTrue(e.contains(file.toString()) && e.contains("not a JSON object"), e);
        e = assertThrows(ConfigurationException.class, () -> McpConfig.read(dir.resolve("absent.json"), ENV))
                .getMessage();
        assertTrue(e.startsWith("Cannot read MCP config"), e);
    }
}
