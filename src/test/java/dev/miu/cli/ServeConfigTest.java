package dev.miu.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code miu serve}'s configuration: flags over app.yaml, and an app.yaml it refuses to start with. */
@Timeout(60)
class ServeConfigTest {

    @TempDir
    Path dir;

    @Test
    void aMisspeltKeyStopsTheServerBeforeItListens() throws Exception {
        Path yaml = dir.resolve("app.yaml");
        Files.writeString(yaml, "server:\n  port: 0\n  api-kye: secret\n");
        CommandLine cli = MiuCommandLine.create();
        ((ServeCommand) cli.getSubcommands().get("serve").getCommand()).env = Map.of("MIU_DATA_DIR", dir.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        assertEquals(2, cli.execute("serve", "--config", yaml.toString()));
        assertTrue(
                err.toString()
                        .contains("unknown key 'server.api-kye' in " + yaml
                                + " at line 3 (did you mean 'server.api-key'?)"),
                err.toString());
        assertFalse(out.toString().contains("listening on"), out.toString());
    }

    @Test
    void theModelFlagKeepsTheRestOfTheAgentSection() throws Exception {
        Path yaml = dir.resolve("app.yaml");
        Files.writeString(yaml, "agent:\n  model: openai:gpt-4.1-mini\n  turn-timeout: 90s\n  max-tokens: 77\n");
        CommandLine cli = MiuCommandLine.create();
        cli.parseArgs("serve", "--config", yaml.toString(), "--model", "anthropic:claude-sonnet-4-5", "--port", "0");
        ServeCommand serve = (ServeCommand) cli.getSubcommands().get("serve").getCommand();
        serve.env = Map.of("MIU_DATA_DIR", dir.toString());

        var config = serve.config();
        assertEquals("anthropic:claude-sonnet-4-5", config.agent().model());
        assertEquals(Duration.ofSeconds(90), config.agent().turnTimeout(), "--model once reset this to 10m");
        assertEquals(77, config.agent().maxTokens());
        assertEquals(0, config.server().port());
    }
}
