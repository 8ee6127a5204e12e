package dev.miu.code.tui;

import java.util.ArrayList;
import java.util.List;

/** The input box's text, cursor and history (Up/Down walk through earlier inputs). */
final class InputLine {

    private final StringBuilder text = new StringBuilder();
    private final List<String> history = new ArrayList<>();
    private int cursor;
    private int historyIndex = -1;
    private String draft = "";

    String text() {
        return text.toString();
    }

    int cursor() {
        return cursor;
    }

    boolean isEmpty() {
        return text.isEmpty();
    }

    void insert(String s) {
        text.insert(cursor, s);
        cursor += s.length();
    }

    void backspace() {
        if (cursor > 0) {
            text.deleteCharAt(--cursor);
        }
    }

    void delete() {
        if (cursor < text.length()) {
            text.deleteCharAt(cursor);
        }
    }

    void left() {
        cursor = Math.max(0, cursor - 1);
    }

    void right() {
        cursor = Math.min(text.length(), cursor + 1);
    }

    void home() {
        cursor = 0;
    }

    void end() {
        cursor = text.length();
    }

    /** Takes the text out (for sending), remembering it in the history. */
    String submit() {
        String s = text.toString();
        if (!s.isBlank() && (history.isEmpty() || !history.getLast().equals(s))) {
            history.add(s);
        }
        clear();
        return s;
    }

    void clear() {
        text.setLength(0);
        cursor = 0;
        historyIndex = -1;
    }

    void historyUp() {
        if (history.isEmpty()) {
            return;
        }
        if (historyIndex == -1) {
            draft = text.toString();
            historyIndex = history.size() - 1;
        } else if (historyIndex > 0) {
            historyIndex--;
        }
        set(history.get(historyIndex));
    }

    void historyDown() {
        if (historyIndex == -1) {
            return;
        }
        if (historyIndex < history.size() - 1) {
            historyIndex++;
            set(history.get(historyIndex));
        } else {
            historyIndex = -1;
            set(draft);
        }
    }

    private void set(String s) {
        text.setLength(0);
        text.append(s);
        cursor = s.length();
    }
}
