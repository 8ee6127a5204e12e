package dev.miu.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Options go where the README puts them: after the subcommand that uses them ({@code miu code --config F},
 * {@code miu tui --collection C}); an option a command does not use is not offered there, before or after it; and
 * one name means one thing ({@code -c} is {@code --continue}, {@code --mode} the approval mode).
 */
@Timeout(60)
class OptionPlacementTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private Run miu(String... args) {
        CommandLine cli =
                MiuCommandLine.create(Map.of("MIU_DATA_DIR", dir.resolve("data").toString(), "HOME", dir.toString()));
        var out = new StringWriter();
        var err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void codeAndTuiTakeTheConfigAndCollectionAfterTheSubcommand() throws IOException {
        for (String command : List.of("code", "tui")) {
            // a missing file fails in the runtime's set-up, before any terminal is needed: the option arrived
            Run config = miu(command, "--config", dir.resolve("missing.yaml").toString());
            assertEquals(2, config.exit(), config.err());
            assertTrue(config.err().startsWith("miu: Config file not found: "), config.err());

            Run collection = miu(command, "--collection", "nothing-here", "--model", "ollama:never-called");
            assertEquals(2, collection.exit(), collection.err());
            assertTrue(collection.err().contains("No collection named 'nothing-here'"), collection.err());

            Run mcp = miu(command, "--mcp-config", dir.resolve("missing.json").toString(), "--model", "ollama:x");
            assertEquals(2, mcp.exit(), mcp.err());
            assertTrue(mcp.err().contains("missing.json"), mcp.err());
        }
    }

    @Test
    void anOptionAfterTheSubcommandWinsOverTheSameBeforeIt() throws IOException {
        Path good = Files.writeString(dir.resolve("good.yaml"), "agent:\n  model: ollama:x\n");
        Run run = miu(
                "--config",
                good.toString(),
                "code",
                "--config",
                dir.resolve("later.yaml").toString());
        assertTrue(run.err().contains("later.yaml"), run.err());

        CommandLine.ParseResult parsed = MiuCommandLine.create(Map.of())
                .parseArgs("--mode", "plan", "-w", "/w", "--session", "s1", "tui", "--mode", "auto", "-c");
        var tui = (TuiCommand) parsed.subcommand().commandSpec().userObject();
        var merged = tui.coding.orElse(tui.parent.coding);
        assertEquals("auto", merged.mode);
        assertEquals(Path.of("/w"), merged.workspace);
        assertEquals("s1", merged.session);
        assertTrue(merged.continueLast);
    }

    @Test
    void optionsThatDoNothingOnACommandAreNotOfferedThere() {
        for (List<String> command :
                List.of(List.of("completion"), List.of("rag", "list"), List.of("examples", "list"))) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--mcp-config", "servers.json"));
            Run after = miu(args.toArray(String[]::new));
            assertEquals(2, after.exit(), command + ": " + after.out());
            assertTrue(after.err().contains("Unknown options: '--mcp-config'"), after.err());

            List<String> before = new ArrayList<>(List.of("--mcp-config", "servers.json"));
            before.addAll(command);
            Run given = miu(before.toArray(String[]::new));
            assertEquals(2, given.exit(), command + ": " + given.out());
            String qualified = "miu " + String.join(" ", command);
            assertTrue(
                    given.err()
                            .startsWith("--mcp-config (given before '" + command.get(command.size() - 1)
                                    + "') is not an option of '" + qualified + "'"),
                    given.err());
        }
        Run workspaceBeforeServe = miu("--workspace", dir.toString(), "serve");
        assertEquals(2, workspaceBeforeServe.exit());
        assertTrue(
                workspaceBeforeServe
                        .err()
                        .startsWith("--workspace (given before 'serve') is not an option of "
                                + "'miu serve' and would do nothing there; see 'miu serve --help' for its options"),
                workspaceBeforeServe.err());
        Run queryBeforeTui = miu("-q", "hi", "tui");
        assertEquals(2, queryBeforeTui.exit());
        assertTrue(
                queryBeforeTui.err().startsWith("--query (given before 'tui') is not an option of 'miu tui'"),
                queryBeforeTui.err());
    }

    @Test
    void rootOptionsTheSubcommandHasStillApplyBeforeIt() {
        Run rag = miu("--config", dir.resolve("missing.yaml").toString(), "rag", "list");
        assertEquals(2, rag.exit(), rag.err());
        assertTrue(rag.err().startsWith("miu: Config file not found: "), rag.err());
        Run ragAfter =
                miu("rag", "list", "--config", dir.resolve("missing.yaml").toString());
        assertTrue(ragAfter.err().startsWith("miu: Config file not found: "), ragAfter.err());
        Run help = miu("--mcp-config", "m.json", "serve", "--help");
        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().contains("--mcp-config=FILE"), help.out());
    }

    @Test
    void ragUsesLongNamesThatMeanOneThing() {
        Run shortCollection = miu("rag", "search", "query", "-c", "kb");
        assertEquals(2, shortCollection.exit());
        assertTrue(shortCollection.err().contains("Unknown options: '-c'"), shortCollection.err());
        Run mode = miu("rag", "search", "query", "--mode", "keyword");
        assertEquals(2, mode.exit());
        assertTrue(mode.err().contains("Unknown options: '--mode'"), mode.err());
        Run searchMode = miu("rag", "search", "query", "--search-mode", "psychic");
        assertTrue(searchMode.err().contains("search mode must be vector, hybrid or keyword"), searchMode.err());
        String help = miu("rag", "search", "--help").out();
        assertTrue(help.contains("--search-mode=MODE") && help.contains("--collection=NAME"), help);
        assertFalse(help.contains("-c,"), help);
    }
}
