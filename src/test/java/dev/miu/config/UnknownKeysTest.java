package dev.miu.config;

import dev.miu.core.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A key of app.yaml that no section reads stops miu, naming its line and the key that was probably meant. */
class UnknownKeysTest {

    @TempDir
    Path dir;

    private String refused(String yaml) throws Exception {
        Path file = dir.resolve("app.yaml");
        Files.writeString(file, yaml);
        return assertThrows(ConfigurationException.class, () -> MiuConfig.load(file, env()))
                .getMessage();
    }

    private Map<String, String> env() {
        return Map.of("MIU_DATA_DIR", dir.resolve("data").toString());
    }

    @Test
    void aMisspeltSectionNamesTheOneMeant() throws Exception {
        assertEquals(
                "unknown key 'sesions' in " + dir.resolve("app.yaml") + " at line 3 (did you mean 'sessions'?)",
                refused("agent:\n  max-tokens: 100\nsesions:\n  sync: always\n"));
    }

    @Test
    void aMisspeltKeyInASectionNamesTheOneMeantInThatSection() throws Exception {
        assertTrue(refused("server:\n  port: 9000\n  max-conection: 50\n")
                .startsWith("unknown key 'server.max-conection' in " + dir.resolve("app.yaml")
                        + " at line 3 (did you mean 'server.max-connections'?)"));
        assertTrue(refused("server:\n  apikey: secret\n").endsWith("(did you mean 'server.api-key'?)"));
        assertTrue(refused("server:\n  Port: 9000\n").endsWith("(did you mean 'server.port'?)"));
    }

    @Test
    void aKeyInTheWrongSectionNamesWhereItBelongs() throws Exception {
        assertTrue(refused("port: 9000\n")
                .endsWith("unknown key 'port' in " + dir.resolve("app.yaml")
                        + " at line 1 (did you mean 'server.port'?)"));
        assertTrue(refused("server.port: 9000\n").endsWith("(write it nested: 'server:' and under it 'port:')"));
    }

    @Test
    void aKeyNothingIsNearIsNamedAlone() throws Exception {
        assertEquals(
                "unknown key 'agent.colour' in " + dir.resolve("app.yaml") + " at line 2",
                refused("agent:\n  colour: blue\n"));
    }

    @Test
    void everyUnknownKeyIsListedInTheFilesOrder() throws Exception {
        String message =
                refused("sesions:\n  sync: always\nserver:\n  prot: 1\n  host: 0.0.0.0\ntracing:\n  enable: true\n");
        assertEquals(3, message.lines().count(), message);
        assertTrue(message.lines().toList().get(0).contains("'sesions'"), message);
        assertTrue(
                message.lines().toList().get(1).contains("'server.prot'") && message.contains("'server.port'?"),
                message);
        assertTrue(
                message.lines().toList().get(2).contains("'tracing.enable'") && message.contains("'tracing.enabled'?"),
                message);
    }

    @Test
    void keysUnderAnUnknownKeyAreNotListedAgain() throws Exception {
        assertEquals(1, refused("agnet:\n  model: x\n  max-tokens: 5\n").lines().count());
    }

    @Test
    void theNamesOfMcpServersAndTheirSettingsAreTheUsers() throws Exception {
        Path file = dir.resolve("app.yaml");
        Files.writeString(file, """
                mcp:
                  mcpServers:
                    my-server:
                      url: http://127.0.0.1:9/mcp
                      headers:
                        X.Custom.Header: v
                      anything-the-mcp-parser-ignores: 1
                """);
        assertEquals(1, MiuConfig.load(file, env()).mcp().servers().size());
        assertTrue(refused("mcp:\n  mcpServer: {}\n").endsWith("(did you mean 'mcp.mcpServers'?)"));
    }

    /**
     * The known keys are those the sections' readers ask for, so a reader must ask for its key even when an
     * environment variable overrides it. Every key, with every variable set.
     */
    @Test
    void everyKeyIsKnownWhateverTheEnvironmentOverrides() throws Exception {
        Path file = dir.resolve("app.yaml");
        Files.writeString(file, """
                agent:
                  model: anthropic:claude-sonnet-4-5
                  system-prompt: hi
                  max-iterations: 3
                  max-tokens: 100
                  temperature: 0.5
                  context-tokens: 1000
                  turn-timeout: 1m
                server:
                  host: 127.0.0.1
                  port: 8000
                  api-key: secret
                  cors-origins: []
                  allowed-hosts: []
                  max-body-bytes: 1024
                  max-connections: 10
                  idle-timeout: 60s
                  request-head-timeout: 10s
                  body-timeout: 30s
                  stream-write-timeout: 30s
                studio:
                  tools: []
                data-dir: %s
                sessions:
                  sync: interval
                  sync-interval-ms: 1000
                tracing:
                  enabled: false
                  otlp-endpoint: http://localhost:4318
                  service-name: miu
                  capture-content: false
                  recent-traces: 200
                mcp:
                  mcpServers: {}
                rag:
                  embedder: local
                  collection: docs
                  chunk-size: 1000
                  chunk-overlap: 150
                  top-k: 5
                  search-mode: vector
                """.formatted(dir.resolve("from-yaml")));
        Map<String, String> everyVariable = Map.ofEntries(
                Map.entry("MIU_MODEL", "openai:gpt-4.1-mini"),
                Map.entry("MIU_HOST", "0.0.0.0"),
                Map.entry("MIU_PORT", "9000"),
                Map.entry("MIU_API_KEY", "other"),
                Map.entry("MIU_CORS_ORIGINS", "http://a.example"),
                Map.entry("MIU_ALLOWED_HOSTS", "a.example"),
                Map.entry("MIU_MAX_CONNECTIONS", "20"),
                Map.entry("MIU_DATA_DIR", dir.resolve("data").toString()),
                Map.entry("MIU_SESSIONS_SYNC", "always"),
                Map.entry("MIU_RAG_EMBEDDER", "openai:text-embedding-3-small"),
                Map.entry("MIU_RAG_COLLECTION", "other"),
                Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
                Map.entry("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces"),
                Map.entry("OTEL_SERVICE_NAME", "svc"),
                Map.entry("OTEL_SDK_DISABLED", "true"));
        MiuConfig config = MiuConfig.load(file, everyVariable);
        assertEquals(dir.resolve("data"), config.dataDir(), "the environment still wins");
        assertEquals(SessionSettings.Sync.ALWAYS, config.sessions().sync());
        assertEquals("svc", config.tracing().serviceName());
        assertFalse(config.tracing().enabled());
        // and the repository's own app.yaml, under the same variables
        MiuConfig.load(Path.of("app.yaml"), everyVariable);
    }

    @Test
    void aPropertiesFileIsCheckedToo() throws Exception {
        Path file = dir.resolve("miu.properties");
        Files.writeString(file, "server.port=9100\nserver.hots=x\n");
        String message = assertThrows(ConfigurationException.class, () -> MiuConfig.load(file, env()))
                .getMessage();
        assertEquals("unknown key 'server.hots' in " + file + " (did you mean 'server.host'?)", message);
    }

    /** The shape of a section of named entries (agent definitions, say): names are free, their keys are checked. */
    @Test
    void inNamedEntriesTheNamesAreFreeAndTheirKeysChecked() {
        ConfigTree yaml = ConfigTree.parseYaml("""
                agents:
                  writer:
                    model: x
                  reviewer:
                    modle: y
                """, "app.yaml");
        yaml.get("agents").children().forEach(entry -> entry.get("model").asString());
        assertEquals(
                List.of("agents.reviewer.modle"),
                yaml.unknownKeys().stream().map(ConfigTree.Unknown::path).toList());
        var e = assertThrows(ConfigurationException.class, () -> UnknownKeys.check(yaml));
        assertEquals(
                "unknown key 'agents.reviewer.modle' in app.yaml at line 5 (did you mean 'agents.reviewer.model'?)",
                e.getMessage());
    }

    @Test
    void distanceCountsSingleCharacterEdits() {
        assertEquals(0, Nearest.distance("port", "port"));
        assertEquals(1, Nearest.distance("sesions", "sessions"));
        assertEquals(2, Nearest.distance("max-conection", "max-connections"));
        assertEquals(3, Nearest.distance("kitten", "sitting"));
        assertEquals(1, Nearest.distance("prot", "port"), "two neighbours swapped are one edit");
        assertEquals(4, Nearest.distance("", "port"));
    }
}
