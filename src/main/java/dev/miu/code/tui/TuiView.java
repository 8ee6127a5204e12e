package dev.miu.code.tui;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays the screen out from a {@link ViewModel}: the scrolling chat on top (with the approval dialog over its
 * bottom when one is pending), the input box, and the status bar. Pure: same model and size, same lines.
 */
final class TuiView {

    private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    private static final AttributedStyle DIM = AttributedStyle.DEFAULT.faint();
    private static final AttributedStyle BOLD = AttributedStyle.BOLD;
    private static final AttributedStyle CYAN = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
    private static final AttributedStyle RED = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
    private static final AttributedStyle YELLOW = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
    private static final AttributedStyle GREEN = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);

    /** The lines to draw and where the cursor goes. */
    record Frame(List<AttributedString> lines, int cursorRow, int cursorColumn, int maxScroll) {}

    Frame render(ViewModel m, int rows, int cols) {
        cols = Math.max(cols, 20);
        rows = Math.max(rows, 8);
        List<AttributedString> chat = chatLines(m, cols);
        List<AttributedString> dialog = m.approval() == null ? List.of() : dialog(m, cols);
        int chatRows = rows - 4;
        int visibleChat = Math.max(1, chatRows - dialog.size());
        int maxScroll = Math.max(0, chat.size() - visibleChat);
        int scroll = Math.min(m.scroll(), maxScroll);
        int end = chat.size() - scroll;
        int start = Math.max(0, end - visibleChat);

        List<AttributedString> lines = new ArrayList<>(rows);
        lines.addAll(chat.subList(start, end));
        while (lines.size() < visibleChat) {
            lines.add(AttributedString.EMPTY);
        }
        for (AttributedString d : dialog) {
            if (lines.size() < chatRows) {
                lines.add(d);
            }
        }
        while (lines.size() < chatRows) {
            lines.add(AttributedString.EMPTY);
        }
        // the input box
        AttributedStyle border = m.askingReason() ? YELLOW : DIM;
        lines.add(topBorder(cols, border));
        String label = m.askingReason() ? "reason › " : "› ";
        int room = cols - 4 - label.length();
        int from = Math.max(0, m.cursor() - room + 1);
        String shown = m.input().substring(from, Math.min(m.input().length(), from + room));
        var input = new AttributedStringBuilder()
                .style(border)
                .append("│ ")
                .style(AttributedStyle.DEFAULT)
                .append(label, m.askingReason() ? YELLOW : BOLD)
                .append(shown);
        input.append(" ".repeat(Math.max(0, cols - 1 - input.columnLength())))
                .style(border)
                .append("│");
        lines.add(input.toAttributedString());
        lines.add(new AttributedString("╰" + "─".repeat(cols - 2) + "╯", border));
        lines.add(statusBar(m, cols));
        int cursorCol = 2 + label.length() + (m.cursor() - from);
        return new Frame(lines, rows - 3, Math.min(cursorCol, cols - 2), maxScroll);
    }

    private List<AttributedString> chatLines(ViewModel m, int cols) {
        List<AttributedString> out = new ArrayList<>();
        for (Entry e : m.entries()) {
            switch (e) {
                case Entry.UserInput u -> {
                    out.add(AttributedString.EMPTY);
                    wrap(out, "› " + u.text(), BOLD, cols, "  ");
                }
                case Entry.Answer a -> {
                    out.add(AttributedString.EMPTY);
                    for (String line : a.text().strip().split("\n", -1)) {
                        wrap(out, line, AttributedStyle.DEFAULT, cols, "");
                    }
                }
                case Entry.ToolCard c -> {
                    out.add(AttributedString.EMPTY);
                    AttributedStyle style = switch (c.status()) {
                        case RUNNING -> YELLOW;
                        case OK -> CYAN;
                        case ERROR -> RED;
                    };
                    String mark = c.status() == Entry.Status.RUNNING ? "◌ " : "● ";
                    wrap(out, mark + c.summary(), style.bold(), cols, "  ");
                    for (int i = 0; i < c.preview().size(); i++) {
                        wrap(
                                out,
                                (i == 0 ? "  ⎿ " : "    ") + c.preview().get(i),
                                c.status() == Entry.Status.ERROR ? RED : DIM,
                                cols,
                                "    ");
                    }
                }
                case Entry.Notice n -> {
                    out.add(AttributedString.EMPTY);
                    for (String line : n.text().split("\n", -1)) {
                        wrap(out, line, n.error() ? RED : DIM, cols, "");
                    }
                }
            }
        }
        if (m.running()) {
            out.add(AttributedString.EMPTY);
            out.add(new AttributedString(
                    SPINNER[m.spinner() % SPINNER.length] + " working… (esc to interrupt)", YELLOW));
        }
        return out;
    }

    private List<AttributedString> dialog(ViewModel m, int cols) {
        List<AttributedString> inner = new ArrayList<>();
        int width = cols - 4;
        wrap(inner, "Allow " + m.approval().summary() + "?", BOLD, width, "  ");
        List<String> detail = m.approval().detail().lines().toList();
        for (String line : detail.subList(0, Math.min(8, detail.size()))) {
            inner.add(new AttributedString(
                            AttributedString.fromAnsi(line.replace("\t", "    "))
                                    .toString(),
                            DIM)
                    .columnSubSequence(0, width));
        }
        if (detail.size() > 8) {
            inner.add(new AttributedString("… " + (detail.size() - 8) + " more lines", DIM));
        }
        inner.add(
                m.askingReason()
                        ? new AttributedString("Type why not (the model reads it), Enter to send", YELLOW)
                        : new AttributedString(
                                "[y] yes   [a] always this session   [n] no, with a reason   [esc] refuse & stop",
                                YELLOW));
        List<AttributedString> box = new ArrayList<>();
        box.add(new AttributedString("┌ approval " + "─".repeat(Math.max(0, cols - 13)) + "┐", YELLOW));
        for (AttributedString line : inner) {
            var b = new AttributedStringBuilder().append("│ ", YELLOW).append(line);
            b.append(" ".repeat(Math.max(0, cols - 1 - b.columnLength()))).append("│", YELLOW);
            box.add(b.toAttributedString());
        }
        box.add(new AttributedString("└" + "─".repeat(cols - 2) + "┘", YELLOW));
        return box;
    }

    /** The input box's top edge, with the key hints on its right when they fit. */
    private static AttributedString topBorder(int cols, AttributedStyle border) {
        String hints = " shift+tab mode · ctrl+n new · esc interrupt · ctrl+c quit ";
        if (hints.length() + 6 > cols) {
            return new AttributedString("╭" + "─".repeat(cols - 2) + "╮", border);
        }
        return new AttributedStringBuilder()
                .style(border)
                .append("╭" + "─".repeat(cols - 4 - hints.length()))
                .append(hints, DIM)
                .style(border)
                .append("──╮")
                .toAttributedString();
    }

    private AttributedString statusBar(ViewModel m, int cols) {
        AttributedStyle bar = AttributedStyle.INVERSE;
        AttributedStyle modeStyle = switch (m.mode()) {
            case NORMAL -> GREEN;
            case PLAN -> AttributedStyle.DEFAULT.foreground(AttributedStyle.BLUE);
            case AUTO -> YELLOW;
        };
        var b = new AttributedStringBuilder();
        b.append(
                " " + m.mode().wireName().toUpperCase(java.util.Locale.ROOT) + " ",
                modeStyle.inverse().bold());
        b.append(" " + m.workdir() + " │ " + m.model() + " │ " + m.tokens() + " ", bar);
        int used = b.columnLength();
        if (used < cols - 1) {
            b.append(" ".repeat(cols - 1 - used), bar);
        }
        return b.toAttributedString().columnSubSequence(0, cols - 1);
    }

    /** Wraps {@code text} to {@code cols} columns at spaces where it can, indenting continuation lines. */
    private static void wrap(List<AttributedString> out, String text, AttributedStyle style, int cols, String indent) {
        String rest = text.replace("\t", "    ").replaceAll("\\p{Cntrl}", "");
        boolean first = true;
        while (true) {
            String prefix = first ? "" : indent;
            int room = Math.max(1, cols - prefix.length());
            AttributedString line = new AttributedString(rest);
            if (line.columnLength() <= room) {
                out.add(new AttributedString(prefix + rest, style));
                return;
            }
            int cut = Math.max(1, line.columnSubSequence(0, room).length());
            int space = rest.lastIndexOf(' ', cut);
            int end = space > 0 ? space : cut;
            out.add(new AttributedString(prefix + rest.substring(0, end), style));
            rest = rest.substring(space > 0 ? space + 1 : cut);
            first = false;
        }
    }
}
