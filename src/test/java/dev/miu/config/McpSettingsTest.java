package dev.miu.config;

import dev.miu.core.ConfigurationException;
import dev.miu.core.mcp.McpServerConfig;
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

/** MCP servers from app.yaml's {@code mcp} section and from {@code --mcp-config}, the file winning on a shared name. */
class McpSettingsTest {

    @TempDir
    Path dir;

    @Test
    void readsTheYamlSectionAndMergesTheFile() throws Exception {
        Path yaml = dir.resolve("app.yaml");
        Files.writeString(yaml, """
                mcp:
                  mcpServers:
                    everything:
                      command: npx
                      args: ["-y", "@modelcontextprotocol/server-everything"]
                      env:
                        LOG_LEVEL: debug
                    remote:
                      type: http
                      url: http://127.0.0.1:3001/mcp
                      headers:
                        Authorization: Bearer ${TOKEN}
                    skipped:
                      command: x
                      disabled: true
                """);
        Path file = dir.resolve("mcp.json");
        Files.writeString(
                file,
                "{\"mcpServers\": {\"remote\": {\"command\": \"local-remote\"}, \"fs\": {\"command\": \"fs-server\"}}}");
        Map<String, String> env = Map.of("TOKEN", "t0k");
        MiuConfig config = MiuConfig.load(yaml, env);

        var fromYaml = config.mcp().servers();
        assertEquals(
                new McpServerConfig.Stdio(
                        "npx", List.of("-y", "@modelcontextprotocol/server-everything"), Map.of("LOG_LEVEL", "debug")),
                fromYaml.get("everything"));
        assertEquals(
                new McpServerConfig.Http(
                        URI.create("http://127.0.0.1:3001/mcp"), Map.of("Authorization", "Bearer t0k")),
                fromYaml.get("remote"));
        assertEquals(List.of("everything", "remote"), List.copyOf(fromYaml.keySet()));

        var merged = config.mcp().withFile(file, env);
        assertEquals(List.of("everything", "remote", "fs"), List.copyOf(merged.keySet()));
        assertEquals(new McpServerConfig.Stdio("local-remote", List.of(), Map.of()), merged.get("remote"));
    }

    @Test
    void noSectionMeansNoServers() throws Exception {
        Path yaml = dir.resolve("app.yaml");
        Files.writeString(yaml, "agent:\n  max-iterations: 3\n");
        MiuConfig config = MiuConfig.load(yaml, Map.of());
        assertEquals(Map.of(), config.mcp().withFile(null, Map.of()));
        assertEquals(Map.of(), MiuConfig.load(null, Map.of()).mcp().servers(), "the built-in app.yaml has none");
    }

    @Test
    void aBadSectionNamesTheFile() throws Exception {
        Path yaml = dir.resolve("app.yaml");
        Files.writeString(yaml, "mcp:\n  mcpServers:\n    bad:\n      args: [x]\n");
        String e = assertThrows(ConfigurationException.class, () -> MiuConfig.load(yaml, Map.of()))
                .getMessage();
        assertTrue(e.contains(yaml.toAbsolutePath().toString()) && e.contains("MCP server 'bad'"), e);
    }
}
