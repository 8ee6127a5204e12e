package dev.miu.code.tui;

import dev.miu.code.Mode;
import dev.miu.code.approval.ApprovalGate;
import dev.miu.core.json.Json;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TUI's layout as plain text: chat above, input box and status bar below, dialog over the chat's bottom. */
class TuiViewTest {

    private final TuiView view = new TuiView();

    private static ViewModel model(List<Entry> entries, String input, int scroll, boolean withDialog) {
        var request =
                withDialog ? ApprovalGate.describe("Bash", Json.parseObject("{\"command\":\"rm -rf build\"}")) : null;
        return new ViewModel(
                entries,
                input,
                input.length(),
                false,
                0,
                request,
                false,
                Mode.PLAN,
                "~/proj",
                "anthropic:claude-test",
                "1.5k / 150k tokens (1%)",
                scroll);
    }

    private static List<String> text(TuiView.Frame f) {
        return f.lines().stream().map(AttributedString::toString).toList();
    }

    @Test
    void laysOutChatInputAndStatusBarWithinTheScreen() {
        var entries = new ArrayList<Entry>();
        entries.add(new Entry.UserInput("fix the bug"));
        entries.add(new Entry.ToolCard(
                "t1", "Read(src/App.java)", Entry.Status.OK, List.of("1 class App {}", "… +3 lines")));
        entries.add(new Entry.Answer("A long answer ".repeat(20)));
        TuiView.Frame frame = view.render(model(entries, "next question", 0, false), 20, 90);
        List<String> lines = text(frame);
        assertEquals(20, lines.size());
        lines.forEach(l -> assertTrue(new AttributedString(l).columnLength() <= 90, "too wide: " + l));
        assertTrue(lines.contains("› fix the bug"));
        assertTrue(lines.contains("● Read(src/App.java)"));
        assertTrue(lines.contains("  ⎿ 1 class App {}"));
        assertTrue(lines.get(17).startsWith("│ › next question"));
        assertTrue(
                lines.get(19).startsWith(" PLAN  ~/proj │ anthropic:claude-test │ 1.5k / 150k tokens (1%)"),
                lines.get(19));
        assertEquals(17, frame.cursorRow());
        assertEquals(2 + 2 + "next question".length(), frame.cursorColumn());
        long answerRows =
                lines.stream().filter(l -> l.contains("A long answer")).count();
        assertTrue(answerRows >= 3, "the answer wraps over several rows");
        assertTrue(
                lines.stream()
                        .filter(l -> l.contains("long"))
                        .flatMap(l -> java.util.Arrays.stream(l.split(" ")))
                        .allMatch(w -> w.equals("A") || w.equals("long") || w.equals("answer")),
                "it wraps between words: " + lines);
    }

    @Test
    void scrollsBackAndShowsTheApprovalDialog() {
        var entries = new ArrayList<Entry>();
        for (int i = 0; i < 40; i++) {
            entries.add(new Entry.Notice("line " + i, false));
        }
        List<String> bottom = text(view.render(model(entries, "", 0, false), 20, 60));
        assertTrue(bottom.contains("line 39") && !bottom.contains("line 20"));
        TuiView.Frame up = view.render(model(entries, "", 30, false), 20, 60);
        assertTrue(text(up).contains("line 20") && !text(up).contains("line 39"), String.join("\n", text(up)));
        assertTrue(up.maxScroll() > 30);

        List<String> dialog = text(view.render(model(entries, "", 0, true), 20, 60));
        assertTrue(dialog.stream().anyMatch(l -> l.contains("Allow Bash(rm -rf build)?")), String.join("\n", dialog));
        assertTrue(dialog.stream().anyMatch(l -> l.contains("[y] yes") && l.contains("[n] no")));
        assertTrue(dialog.contains("line 39") || dialog.stream().anyMatch(l -> l.contains("line 3")));
    }
}
