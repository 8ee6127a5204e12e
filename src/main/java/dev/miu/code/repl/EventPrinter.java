package dev.miu.code.repl;

import dev.miu.code.ToolDisplay;
import dev.miu.core.agent.AgentEvent;

import java.io.PrintWriter;
import java.util.List;

/**
 * Prints agent events as they arrive: answer text streamed to {@code out}, each tool call as
 * {@code ● Read(path)} and its result as {@code   ⎿ preview} on {@code tools} (stderr for {@code miu -q}, so
 * stdout holds only the answer). A sub-agent's run (a composition's step, an agent called as a tool) starts with
 * its name, {@code [researcher]}, on {@code tools}.
 */
public final class EventPrinter {

    private static final String CYAN = "\u001b[36m";
    private static final String RED = "\u001b[31m";
    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";

    private final PrintWriter out;
    private final PrintWriter tools;
    private final boolean color;
    private boolean midLine;

    public EventPrinter(PrintWriter out, PrintWriter tools, boolean color) {
        this.out = out;
        this.tools = tools;
        this.color = color;
    }

    public void accept(AgentEvent event) {
        switch (event) {
            case AgentEvent.TextDelta d -> {
                out.print(d.text());
                out.flush();
                midLine = !d.text().endsWith("\n");
            }
            case AgentEvent.ToolCall c -> {
                endLine();
                tools.println(paint(CYAN, "● " + ToolDisplay.summary(c.name(), c.input())));
                tools.flush();
            }
            case AgentEvent.ToolResult r -> {
                List<String> preview = ToolDisplay.preview(r.output(), 4);
                for (int i = 0; i < preview.size(); i++) {
                    String line = (i == 0 ? "  ⎿ " : "    ") + preview.get(i);
                    tools.println(r.isError() ? paint(RED, line) : paint(DIM, line));
                }
                tools.flush();
            }
            case AgentEvent.UsageUpdate u -> {}
            case AgentEvent.Done d -> endLine();
            case AgentEvent.ApprovalRequest a -> endLine(); // the approver shows the call when it asks
            case AgentEvent.Nested n -> accept(n.event());
            case AgentEvent.AgentStart s -> { // what follows, up to its end, is this sub-agent speaking
                endLine();
                tools.println(paint(DIM, "[" + s.agent() + "]"));
                tools.flush();
            }
            case AgentEvent.AgentEnd e -> endLine();
        }
    }

    /** Ends a half-printed answer line so what follows starts on its own line. */
    public void endLine() {
        if (midLine) {
            out.println();
            out.flush();
            midLine = false;
        }
    }

    private String paint(String style, String text) {
        return color ? style + text + RESET : text;
    }
}
