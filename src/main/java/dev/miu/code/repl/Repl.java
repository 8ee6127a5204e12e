package dev.miu.code.repl;

import dev.miu.code.CodingAgent;
import dev.miu.code.CodingAgents;
import dev.miu.code.CodingOptions;
import dev.miu.code.Mode;
import dev.miu.code.command.CommandResult;
import dev.miu.code.command.SlashCommands;
import dev.miu.config.MiuConfig;
import dev.miu.core.agent.Response;
import dev.miu.core.message.StopReason;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The coding REPL: read a line, run a slash command or an agent turn (streamed, with tool calls shown and
 * approvals asked inline), repeat. Ctrl+C during a turn interrupts it; Ctrl+D or {@code /exit} quits.
 */
public final class Repl {

    private final Terminal terminal;
    private final LineReader reader;
    private final PrintWriter out;
    private CodingAgent agent;

    private Repl(Terminal terminal, LineReader reader) {
        this.terminal = terminal;
        this.reader = reader;
        this.out = terminal.writer();
    }

    /** Opens the terminal, builds the agent (with prompts on this terminal) and runs until the user quits. */
    public static int run(MiuConfig config, CodingOptions options) {
        try (Terminal terminal = terminal()) {
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("miu")
                    .variable(
                            LineReader.HISTORY_FILE,
                            config.dataDir().resolve("code").resolve("history"))
                    .build();
            var repl = new Repl(terminal, reader);
            repl.agent = CodingAgents.create(config, options, new ReplApprover(reader));
            return repl.loop();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the terminal", e);
        }
    }

    /**
     * The system terminal (JLine's native provider, else stty), or a dumb terminal when stdin is not a terminal.
     * miu.jar's manifest enables native access so JDK 22+ does not warn about JLine's native library.
     */
    public static Terminal terminal() throws IOException {
        return TerminalBuilder.builder().name("miu").system(true).dumb(true).build();
    }

    /** Colours only on a real terminal; piped output stays plain text. */
    private boolean color() {
        return !Terminal.TYPE_DUMB.equals(terminal.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
    }

    private String paint(String ansi, String text) {
        return color() ? ansi + text + "\u001b[0m" : text;
    }

    private int loop() {
        var commands = new SlashCommands(agent);
        out.println(paint("\u001b[1m", "miu") + " coding agent · " + agent.model() + " · "
                + agent.workspace().root());
        out.println("Session " + agent.sessionId()
                + (agent.history().isEmpty()
                        ? ""
                        : " (resumed, " + agent.history().size() + " messages)")
                + ". Type /help for commands, /exit to quit.");
        out.flush();
        while (true) {
            String line;
            try {
                line = reader.readLine(prompt());
            } catch (UserInterruptException e) {
                continue; // Ctrl+C at the prompt clears the line, as in a shell
            } catch (EndOfFileException e) {
                return 0;
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (SlashCommands.isCommand(line)) {
                CommandResult result = commands.run(line);
                switch (result) {
                    case CommandResult.Show s -> println(s.text());
                    case CommandResult.Reset r -> println(r.text());
                    case CommandResult.Exit e -> {
                        return 0;
                    }
                    case CommandResult.Prompt p -> turn(p.text());
                }
            } else {
                turn(line);
            }
        }
    }

    private String prompt() {
        if (agent.declaredAgent() != null) { // a declared agent: its own tools, so no approval mode to show
            return paint("\u001b[35m", "[" + agent.declaredAgent() + "]") + " › ";
        }
        Mode mode = agent.mode();
        String color = switch (mode) {
            case NORMAL -> "\u001b[32m";
            case PLAN -> "\u001b[34m";
            case AUTO -> "\u001b[33m";
        };
        return paint(color, "[" + mode.wireName() + "]") + " › ";
    }

    /** Runs one agent turn on a worker thread so Ctrl+C (SIGINT) can interrupt it. */
    private void turn(String input) {
        var printer = new EventPrinter(out, out, color());
        var failure = new AtomicReference<RuntimeException>();
        var response = new AtomicReference<Response>();
        Thread worker = Thread.ofVirtual().name("miu-turn").unstarted(() -> {
            try {
                response.set(agent.send(input, printer::accept));
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> worker.interrupt());
        try {
            worker.start();
            worker.join();
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
        }
        printer.endLine();
        if (failure.get() != null) {
            RuntimeException e = failure.get();
            println(paint("\u001b[31m", "error: " + (e.getMessage() != null ? e.getMessage() : e.toString())));
            return;
        }
        Response r = response.get();
        if (r.stopReason() == StopReason.CANCELLED) {
            println(paint("\u001b[33m", "(interrupted)"));
        } else if (r.stopReason() == StopReason.MAX_ITERATIONS) {
            println(paint("\u001b[33m", "(stopped after " + r.iterations() + " model calls)"));
        }
        println(paint("\u001b[2m", tokens(agent)));
    }

    /** {@code 1.2k / 150k tokens (1%)}: how full the context window is after the last model call. */
    public static String tokens(CodingAgent agent) {
        long used = agent.contextTokensUsed();
        long window = agent.contextWindow();
        long pct = window <= 0 ? 0 : Math.round(100.0 * used / window);
        return compact(used) + " / " + compact(window) + " tokens (" + pct + "%)";
    }

    static String compact(long n) {
        if (n < 1000) {
            return Long.toString(n);
        }
        if (n < 1_000_000) {
            return (n % 1000 == 0 || n >= 100_000 ? n / 1000 : String.format("%.1f", n / 1000.0)) + "k";
        }
        return String.format("%.1fM", n / 1_000_000.0);
    }

    private void println(String s) {
        out.println(s);
        out.flush();
    }
}
