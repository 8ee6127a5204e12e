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
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code miu serve --agents DIR}: bad agents stop it before it listens; good ones are named in its banner. */
@Timeout(60)
class ServeAgentsTest {

    @TempDir
    Path dir;

    private CommandLine serve(StringWriter out, StringWriter err) {
        CommandLine cli = MiuCommandLine.create();
        ((ServeCommand) cli.getSubcommands().get("serve").getCommand()).env =
                Map.of("MIU_DATA_DIR", dir.resolve("data").toString());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }

    @Test
    void aBadAgentStopsTheServerBeforeItListens() throws Exception {
        Path agents = Files.createDirectories(dir.resolve("agents"));
        Files.writeString(agents.resolve("a.yaml"), "tools: [{agent: b}]\n");
        Files.writeString(agents.resolve("b.yaml"), "type: pipeline\nstages: [a]\n");
        var out = new StringWriter();
        var err = new StringWriter();

        int exit = serve(out, err).execute("serve", "--port", "0", "--agents", agents.toString());

        assertEquals(2, exit, out.toString());
        assertEquals(
                "miu: " + agents.resolve("a.yaml") + ": agent 'a': tools[0].agent: agents run each other in a cycle:"
                        + " a -> b -> a",
                err.toString().strip());
        assertFalse(out.toString().contains("listening on"), out.toString());
    }

    @Test
    void aMissingAgentsDirectoryGivenOnTheCommandLineIsAnError() {
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = serve(out, err).execute("--agents", dir.resolve("nowhere").toString(), "serve", "--port", "0");
        assertEquals(2, exit);
        assertTrue(err.toString().contains(dir.resolve("nowhere") + " does not exist"), err.toString());
    }

    @Test
    void theBannerNamesTheAgentsAndTheDefault() throws Exception {
        Path agents = Files.createDirectories(dir.resolve("agents"));
        Files.writeString(agents.resolve("helper.yaml"), "description: Helps\n");
        var out = new StringWriter();
        var err = new StringWriter();
        CommandLine cli = serve(out, err);
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serving = Thread.ofPlatform()
                .start(() -> exit.set(cli.execute("serve", "--port", "0", "--agents", agents.toString())));
        await("the banner")
                .atMost(Duration.ofSeconds(30))
                .until(() -> out.toString().contains("tracing:"));
        assertTrue(out.toString().contains("\n  agents:   assistant, helper (default assistant)\n"), out.toString());
        serving.interrupt();
        serving.join(20_000);
        assertFalse(serving.isAlive());
        assertEquals(0, exit.get(), err.toString());
    }
}
