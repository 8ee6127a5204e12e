package dev.miu.config;

import dev.miu.core.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading app.yaml's tree: keys, types, lists, and errors that name the file, the key and the value. */
class ConfigTreeTest {

    private static final String YAML = """
            server:
              host: 0.0.0.0
              port: 9001
              cors-origins: ["http://a.example", "http://b.example"]
              api-key:
            agent:
              temperature: 0.25
            tracing:
              enabled: TRUE
            mcp:
              mcpServers:
                zeta: {command: z}
                alpha: {command: a, args: [--x, "1"]}
            """;

    private final ConfigTree tree = ConfigTree.parseYaml(YAML, "app.yaml");

    @Test
    void readsValuesAtDottedKeys() {
        assertEquals(Optional.of("0.0.0.0"), tree.get("server.host").asString());
        assertEquals(Optional.of(9001), tree.get("server").get("port").asInt());
        assertEquals(Optional.of(9001L), tree.get("server.port").asLong());
        assertEquals(Optional.of(0.25), tree.get("agent.temperature").asDouble());
        assertEquals(Optional.of(true), tree.get("tracing.enabled").asBoolean());
        assertEquals(
                Optional.of(List.of("http://a.example", "http://b.example")),
                tree.get("server.cors-origins").asStringList());
        assertEquals(Optional.of("1"), tree.get("mcp.mcpServers.alpha.args.1").asString());
        assertEquals("server.port", tree.get("server.port").key());
        assertEquals("port", tree.get("server.port").name());
    }

    @Test
    void missingAndBlankValuesAreNotSet() {
        ConfigTree missing = tree.get("server.nothing.here");
        assertFalse(missing.exists());
        assertEquals(ConfigTree.Type.MISSING, missing.type());
        assertEquals(Optional.empty(), missing.asString());
        assertEquals(Optional.empty(), missing.asInt());
        assertEquals(Optional.empty(), missing.asStringList());
        assertTrue(missing.children().isEmpty());

        ConfigTree blank = tree.get("server.api-key"); // "api-key:" with nothing after it
        assertTrue(blank.exists());
        assertEquals(Optional.of(""), blank.asString());
        assertEquals(Optional.empty(), blank.asLong());
        assertEquals(Optional.empty(), blank.asBoolean());
        assertEquals(Optional.of(List.of()), blank.asStringList());
        assertFalse(ConfigTree.empty("x").get("a").exists());
    }

    @Test
    void childrenAreTheSectionsKeysOrTheListsItems() {
        ConfigTree servers = tree.get("mcp.mcpServers");
        assertEquals(ConfigTree.Type.OBJECT, servers.type());
        assertEquals(
                java.util.Set.of("zeta", "alpha"),
                servers.children().stream().map(ConfigTree::name).collect(java.util.stream.Collectors.toSet()));
        assertEquals(
                List.of("mcp.mcpServers.alpha.args.0", "mcp.mcpServers.alpha.args.1"),
                tree.get("mcp.mcpServers.alpha.args").children().stream()
                        .map(ConfigTree::key)
                        .toList());
        assertEquals(ConfigTree.Type.LIST, tree.get("mcp.mcpServers.alpha.args").type());
    }

    @Test
    void aSingleValueIsAListOfOne() {
        ConfigTree one = ConfigTree.parseYaml("server:\n  cors-origins: http://a.example\n", "app.yaml");
        assertEquals(
                Optional.of(List.of("http://a.example")),
                one.get("server.cors-origins").asStringList());
    }

    @Test
    void aValueOfTheWrongTypeNamesTheFileTheKeyAndTheValue() {
        ConfigTree bad = ConfigTree.parseYaml("""
                server:
                  port: lots
                  big: 99999999999
                  secure: maybe
                  ratio: 1e999
                  hosts: [{a: 1}]
                """, "/etc/miu/app.yaml");
        assertError(
                "/etc/miu/app.yaml: server.port must be a whole number, found 'lots'",
                () -> bad.get("server.port").asInt());
        assertError(
                "server.big must be a whole number, found '99999999999'",
                () -> bad.get("server.big").asInt());
        assertEquals(Optional.of(99_999_999_999L), bad.get("server.big").asLong());
        assertError(
                "server.secure must be true or false, found 'maybe'",
                () -> bad.get("server.secure").asBoolean());
        assertError(
                "server.ratio must be a number, found",
                () -> bad.get("server.ratio").asDouble());
        assertError(
                "server must be a single value, found a section",
                () -> bad.get("server").asString());
        assertError(
                "server.hosts.0 must be a single value, found a section",
                () -> bad.get("server.hosts").asStringList());
        assertError(
                "server must be a list of values, found a section",
                () -> bad.get("server").asStringList());
    }

    @Test
    void textThatIsNotAMappingOfKeysIsRefused() {
        assertError("broken.yaml", () -> ConfigTree.parseYaml("agent:\n  model: [unclosed\n", "broken.yaml"));
        assertError(
                "list.yaml: the top level must be keys and values",
                () -> ConfigTree.parseYaml("- a\n- b\n", "list.yaml"));
        assertEquals(
                ConfigTree.Type.OBJECT, ConfigTree.parseYaml("", "empty.yaml").type());
    }

    @Test
    void valuesAreTypedAsYaml11ReadsThemAndKeptAsText() {
        ConfigTree yaml = ConfigTree.parseYaml("""
                flags: {a: yes, b: Off, c: TRUE}
                nothing: ~
                empty:
                hex: 0x1F
                exponent: 1e3
                plus: +7
                date: 2024-05-01
                quoted: 'yes'
                """, "t.yaml");
        assertEquals(Optional.of(true), yaml.get("flags.a").asBoolean());
        assertEquals(Optional.of(false), yaml.get("flags.b").asBoolean());
        assertEquals(Optional.of(true), yaml.get("flags.c").asBoolean());
        assertEquals(Optional.of(""), yaml.get("nothing").asString());
        assertEquals(Optional.empty(), yaml.get("empty").asLong());
        assertEquals(Optional.of(31), yaml.get("hex").asInt());
        assertEquals(Optional.of("1000.0"), yaml.get("exponent").asString());
        assertEquals(Optional.of(7), yaml.get("plus").asInt());
        assertEquals(Optional.of("2024-05-01"), yaml.get("date").asString(), "a date stays as written");
        assertEquals(Optional.of("yes"), yaml.get("quoted").asString());
    }

    @Test
    void sectionsKeepTheFilesOrderAndNamesMayHoldDots() {
        ConfigTree yaml = ConfigTree.parseYaml("headers:\n  X-Zeta: 1\n  x.alpha: 2\n  Middle: 3\n", "t.yaml");
        assertEquals(
                List.of("X-Zeta", "x.alpha", "Middle"),
                yaml.get("headers").children().stream().map(ConfigTree::name).toList());
    }

    @Test
    void malformedYamlNamesTheFileAndTheLine() {
        assertError(
                "Bad configuration in broken.yaml at line 3, column 1: expected ',' or ']', but got <stream end>"
                        + " (while parsing a flow sequence at line 2, column 10)",
                () -> ConfigTree.parseYaml("agent:\n  model: [unclosed\n", "broken.yaml"));
        assertError("tabs.yaml at line 2, column 1", () -> ConfigTree.parseYaml("server:\n\tport: 1\n", "tabs.yaml"));
    }

    @Test
    void aKeyWrittenTwiceIsAnErrorAtItsSecondLine() {
        // the second "server:" would otherwise replace the first whole, api-key included
        assertError(
                "twice.yaml at line 3, column 1: found duplicate key server",
                () -> ConfigTree.parseYaml("server:\n  api-key: secret\nserver:\n  port: 9000\n", "twice.yaml"));
    }

    @Test
    void aValueOrListWhereASectionBelongsIsAnError() {
        ConfigTree yaml = ConfigTree.parseYaml("server: 8000\nstudio: [a]\nsessions:\n", "t.yaml");
        assertError(
                "t.yaml: server must be a section, found '8000'",
                () -> yaml.get("server").get("port"));
        assertError("studio must be a section, found a list", () -> yaml.get("studio.tools"));
        assertFalse(yaml.get("sessions.sync").exists(), "an empty section is a section");
    }

    @Test
    void aPropertiesFileIsTheSameTree() {
        var properties = new java.util.Properties();
        properties.setProperty("server.port", "9000");
        properties.setProperty("server.host", "0.0.0.0");
        properties.setProperty("data-dir", "/tmp/x");
        ConfigTree tree = ConfigTree.of(properties, "miu.properties");
        assertEquals(Optional.of(9000), tree.get("server.port").asInt());
        assertEquals(Optional.of("/tmp/x"), tree.get("data-dir").asString());
        properties.setProperty("server", "both");
        assertError(
                "miu.properties: server.host is under a key that has a value of its own",
                () -> ConfigTree.of(properties, "miu.properties"));
    }

    private static void assertError(String expected, org.junit.jupiter.api.function.Executable read) {
        var e = assertThrows(ConfigurationException.class, read);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
