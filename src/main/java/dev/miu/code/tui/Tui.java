package dev.miu.code.tui;

import dev.miu.code.CodingAgent;
import dev.miu.code.CodingAgents;
import dev.miu.code.CodingOptions;
import dev.miu.code.approval.Decision;
import dev.miu.code.command.CommandResult;
import dev.miu.code.command.SlashCommands;
import dev.miu.code.repl.Repl;
import dev.miu.config.MiuConfig;
import dev.miu.core.agent.Response;
import dev.miu.core.message.StopReason;
import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;

import java.io.IOError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The full-screen coding UI. {@link #loop} is the UI thread: it takes one event, applies it, drains whatever else
 * is queued, and redraws. Turns run on a virtual thread that posts agent events; Esc interrupts it.
 */
public final class Tui {

    private final Terminal terminal;
    private final BlockingQueue<UiEvent> events = new LinkedBlockingQueue<>();
    private final Transcript transcript = new Transcript();
    private final InputLine input = new InputLine();
    private final TuiView view = new TuiView();
    private CodingAgent agent;
    private SlashCommands commands;
    private Display display;

    private Thread turn;
    private UiEvent.ApprovalAsked approval;
    private boolean askingReason;
    private int scroll;
    private int spinner;
    private int maxScroll;
    private boolean quit;
    private Size size; // cached: asking the terminal may run stty, too slow for every frame

    private Tui(Terminal terminal) {
        this.terminal = terminal;
    }

    /** Opens the terminal full-screen, builds the agent with the TUI's approval dialog, and runs until Ctrl+C. */
    public static int run(MiuConfig config, CodingOptions options) {
        // plain UTF-8 box drawing instead of the VT100 line-drawing charset, which some terminals and tmux captures
        // mangle
        System.setProperty("org.jline.utils.disableAlternateCharset", "true");
        try (Terminal terminal = Repl.terminal()) {
            if (Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
                throw new dev.miu.core.ConfigurationException(
                        "miu tui needs an interactive terminal; use miu or miu -q instead");
            }
            var tui = new Tui(terminal);
            tui.agent = CodingAgents.create(config, options, new TuiApprover(tui::post));
            tui.commands = new SlashCommands(tui.agent);
            try (var logs = TuiLogs.redirect(config.dataDir().resolve("code").resolve("tui.log"))) {
                return tui.loop();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the terminal", e);
        }
    }

    void post(UiEvent event) {
        events.add(event);
    }

    private int loop() {
        Attributes saved = terminal.enterRawMode();
        Attributes raw = terminal.getAttributes();
        raw.setLocalFlag(Attributes.LocalFlag.ISIG, false); // Ctrl+C arrives as a key, not a signal
        terminal.setAttributes(raw);
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.keypad_xmit);
        terminal.flush();
        Terminal.SignalHandler previousWinch = terminal.handle(Terminal.Signal.WINCH, s -> post(new UiEvent.Resized()));
        display = new Display(terminal, true);
        resize();
        Thread keys = Thread.ofPlatform().daemon().name("miu-keys").start(this::readKeys);
        transcript.notice("miu coding agent · session " + agent.sessionId()
                + (agent.history().isEmpty()
                        ? ""
                        : " (resumed, " + agent.history().size() + " messages)")
                + "\nAsk anything about the code in " + agent.workspace().root() + ". /help lists commands.");
        try {
            redraw();
            while (!quit) {
                UiEvent event = events.poll(120, TimeUnit.MILLISECONDS);
                if (event == null) {
                    if (turn != null) {
                        spinner++;
                        redraw();
                    }
                    continue;
                }
                handle(event);
                for (UiEvent more; !quit && (more = events.poll()) != null; ) {
                    handle(more);
                }
                if (!quit) {
                    redraw();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopTurn();
            terminal.handle(Terminal.Signal.WINCH, previousWinch);
            terminal.puts(Capability.keypad_local);
            terminal.puts(Capability.exit_ca_mode);
            terminal.flush();
            terminal.setAttributes(saved);
            keys.interrupt();
        }
        if (agent.store() != null && agent.store().exists(agent.sessionId())) {
            terminal.writer()
                    .println("miu: session " + agent.sessionId() + " saved; resume with miu tui --session "
                            + agent.sessionId());
            terminal.writer().flush();
        }
        return 0;
    }

    private void readKeys() {
        KeyMap<Key> map = Keys.keyMap(terminal);
        var reader = new BindingReader(terminal.reader());
        try {
            while (true) {
                Key key = reader.readBinding(map);
                if (key == null) {
                    post(new UiEvent.InputClosed());
                    return;
                }
                post(new UiEvent.KeyPress(key, reader.getLastBinding()));
            }
        } catch (IOError | RuntimeException e) {
            post(new UiEvent.InputClosed());
        }
    }

    private void handle(UiEvent event) {
        switch (event) {
            case UiEvent.KeyPress k -> key(k.key(), k.chars());
            case UiEvent.Agent a -> {
                transcript.apply(a.event());
                scroll = 0;
            }
            case UiEvent.TurnEnded t -> turnEnded(t);
            case UiEvent.ApprovalAsked a -> {
                approval = a;
                askingReason = false;
                scroll = 0;
            }
            case UiEvent.Resized r -> resize();
            case UiEvent.InputClosed c -> quit = true;
        }
    }

    private void key(Key key, String chars) {
        if (approval != null && !askingReason) {
            switch (key) {
                case CHAR -> {
                    switch (chars.toLowerCase(java.util.Locale.ROOT)) {
                        case "y" -> answer(new Decision.Allow());
                        case "a" -> answer(new Decision.AllowAlways());
                        case "n" -> {
                            askingReason = true;
                            input.clear();
                        }
                        default -> {}
                    }
                    return;
                }
                case INTERRUPT -> {
                    answer(new Decision.Deny("The user stopped this turn."));
                    interruptTurn();
                    return;
                }
                case QUIT -> quit = true;
                default -> {
                    return;
                }
            }
            return;
        }
        switch (key) {
            case CHAR -> input.insert(chars);
            case BACKSPACE -> input.backspace();
            case DELETE -> input.delete();
            case EOF_OR_DELETE -> {
                if (input.isEmpty() && turn == null) {
                    quit = true;
                } else {
                    input.delete();
                }
            }
            case LEFT -> input.left();
            case RIGHT -> input.right();
            case HOME -> input.home();
            case END -> input.end();
            case UP -> input.historyUp();
            case DOWN -> input.historyDown();
            case PAGE_UP -> scroll = Math.min(maxScroll, scroll + Math.max(1, size.getRows() - 6));
            case PAGE_DOWN -> scroll = Math.max(0, scroll - Math.max(1, size.getRows() - 6));
            case ENTER -> enter();
            case MODE -> agent.gate().cycleMode();
            case NEW_SESSION -> {
                if (turn != null) {
                    transcript.error("A turn is running; press Esc to interrupt it first.");
                } else {
                    String id = agent.newSession();
                    transcript.clear();
                    transcript.notice("New session " + id + ".");
                    scroll = 0;
                }
            }
            case CLEAR -> {
                transcript.clear();
                scroll = 0;
                display.clear();
            }
            case INTERRUPT -> {
                if (askingReason) {
                    answer(new Decision.Deny("The user stopped this turn."));
                }
                interruptTurn();
            }
            case QUIT -> quit = true;
            case IGNORE -> {}
        }
    }

    private void enter() {
        if (askingReason) {
            answer(new Decision.Deny(input.submit()));
            return;
        }
        String line = input.text().strip();
        if (line.isEmpty()) {
            return;
        }
        if (turn != null) {
            transcript.error("Still working on the last message; press Esc to interrupt it.");
            return;
        }
        input.submit();
        scroll = 0;
        if (SlashCommands.isCommand(line)) {
            switch (commands.run(line)) {
                case CommandResult.Show s -> transcript.notice(s.text());
                case CommandResult.Reset r -> {
                    transcript.clear();
                    transcript.notice(r.text());
                }
                case CommandResult.Exit e -> quit = true;
                case CommandResult.Prompt p -> startTurn(line, p.text());
            }
            return;
        }
        startTurn(line, line);
    }

    private void startTurn(String shown, String prompt) {
        transcript.user(shown);
        turn = Thread.ofVirtual().name("miu-turn").start(() -> {
            try {
                Response r = agent.send(prompt, e -> post(new UiEvent.Agent(e)));
                post(new UiEvent.TurnEnded(r, null));
            } catch (RuntimeException e) {
                post(new UiEvent.TurnEnded(null, e));
            }
        });
    }

    private void turnEnded(UiEvent.TurnEnded t) {
        turn = null;
        approval = null;
        askingReason = false;
        if (t.failure() != null) {
            transcript.error(
                    "error: " + (t.failure().getMessage() != null ? t.failure().getMessage() : t.failure()));
        } else if (t.response().stopReason() == StopReason.CANCELLED) {
            transcript.notice("(interrupted)");
        } else if (t.response().stopReason() == StopReason.MAX_ITERATIONS) {
            transcript.error("(stopped after " + t.response().iterations() + " model calls)");
        }
    }

    private void answer(Decision decision) {
        if (approval != null) {
            approval.reply().offer(decision);
        }
        approval = null;
        askingReason = false;
        input.clear();
    }

    private void interruptTurn() {
        if (turn != null) {
            turn.interrupt();
        }
    }

    private void stopTurn() {
        Thread t = turn;
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void resize() {
        size = terminal.getSize();
        display.clear();
        display.resize(size.getRows(), size.getColumns());
    }

    private void redraw() {
        var model = new ViewModel(
                transcript.entries(),
                input.text(),
                input.cursor(),
                turn != null,
                spinner,
                approval == null ? null : approval.request(),
                askingReason,
                agent.mode(),
                workdir(),
                agent.declaredAgent() != null
                        ? "agent " + agent.declaredAgent()
                        : agent.model().toString(),
                Repl.tokens(agent),
                scroll);
        TuiView.Frame frame = view.render(model, size.getRows(), size.getColumns());
        maxScroll = frame.maxScroll();
        display.update(frame.lines(), size.cursorPos(frame.cursorRow(), frame.cursorColumn()));
        terminal.flush();
    }

    /** The workspace, with the home folder shown as {@code ~}. */
    private String workdir() {
        Path root = agent.workspace().root();
        Path home = Path.of(System.getProperty("user.home"));
        return root.startsWith(home) && !root.equals(home) ? "~/" + home.relativize(root) : root.toString();
    }
}
