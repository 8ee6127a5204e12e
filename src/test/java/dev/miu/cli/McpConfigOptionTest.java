package dev.miu.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code --mcp-config} is inherited: a subcommand ({@code tui}, {@code serve}) reads it from {@link MiuCommand}. */
class McpConfigOptionTest {

    @CommandLine.Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @CommandLine.ParentCommand
        MiuCommand parent;
        Path seen;

        @Override
        public Integer call() {
            seen = parent.mcpConfigFile();
            return 0;
        }
    }

    @Test
    void subcommandsSeeTheOption() {
        var probe = new Probe();
        CommandLine cli = MiuCommandLine.create().addSubcommand("probe", probe);
        assertEquals(0, cli.execute("probe", "--mcp-config", "servers.json"));
        assertEquals(Path.of("servers.json"), probe.seen);

        var before = new Probe();
        cli = MiuCommandLine.create().addSubcommand("probe", before);
        assertEquals(0, cli.execute("--mcp-config", "first.json", "probe"));
        assertEquals(Path.of("first.json"), before.seen);
    }
}
