package dev.miu.agents;

import dev.miu.config.AgentDefinition;
import dev.miu.config.MiuConfig;
import dev.miu.config.ToolRef;
import dev.miu.core.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tools: [{a2a: URL}]} as app.yaml declares it: read with its options, checked, and what a bad one says. */
class A2aToolRefTest {

    @TempDir
    Path dir;

    private List<AgentDefinition> read(String tools) throws Exception {
        Path file = dir.resolve("app.yaml");
        Files.writeString(file, "default-agent: caller\nagents:\n  - name: caller\n    tools: " + tools + "\n");
        MiuConfig config =
                MiuConfig.load(file, Map.of("MIU_DATA_DIR", dir.resolve("data").toString()));
        List<AgentDefinition> all = config.agentDefinitions();
        AgentValidator.check(all, config, AgentReferences.byName(List.of(), List.of()));
        return all;
    }

    private String problem(String tools) {
        return assertThrows(ConfigurationException.class, () -> read(tools)).getMessage();
    }

    @Test
    void readsTheUrlTheKeyVariableAndTheTimeout() throws Exception {
        var caller = (AgentDefinition.Model)
                read("[{a2a: 'http://peer:8000/a2a/other'}, {a2a: 'https://x.example/agent', api-key-env: PEER_KEY,"
                                + " timeout: 90s}]")
                        .getFirst();
        assertEquals(
                List.of(
                        new ToolRef.A2a(URI.create("http://peer:8000/a2a/other"), null, ToolRef.DEFAULT_A2A_TIMEOUT),
                        new ToolRef.A2a(URI.create("https://x.example/agent"), "PEER_KEY", Duration.ofSeconds(90))),
                caller.tools());
        assertEquals("a2a:http://peer:8000/a2a/other", caller.tools().getFirst().label());
    }

    @Test
    void aBadEntrySaysWhatIsWrong() {
        assertTrue(
                problem("[{a2a: 'ftp://peer/agent'}]")
                        .endsWith("agent 'caller': tools[0].a2a: must be an http:// or https:// URL of an A2A agent,"
                                + " found 'ftp://peer/agent'"),
                problem("[{a2a: 'ftp://peer/agent'}]"));
        assertTrue(
                problem("[{a2a: 'http://peer/a', api-key-env: 'not a name'}]")
                        .endsWith("tools[0].api-key-env: must name an environment variable, found 'not a name'"),
                problem("[{a2a: 'http://peer/a', api-key-env: 'not a name'}]"));
        assertTrue(
                problem("[{a2a: 'http://peer/a', timeout: soon}]").contains("tools[0].timeout: must be a duration"),
                problem("[{a2a: 'http://peer/a', timeout: soon}]"));
        assertTrue(
                problem("[{a2a: 'http://peer/a', timout: 5s}]").contains("timout"),
                problem("[{a2a: 'http://peer/a', timout: 5s}]"));
        assertTrue(
                problem("[{a2a: 'http://peer/a', agent: other}]").contains("one kind per entry, found agent and a2a"),
                problem("[{a2a: 'http://peer/a', agent: other}]"));
    }
}
