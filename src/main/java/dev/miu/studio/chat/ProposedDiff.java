package dev.miu.studio.chat;

import dev.miu.code.Workspace;
import dev.miu.code.tools.EditTool;
import dev.miu.code.tools.WriteTool;
import dev.miu.core.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a waiting Write or Edit call would change, as a unified diff shown with its approval: one hunk from the first
 * to the last changed line, with up to three lines of context. Computed from the file as it is now, the way the
 * tools themselves would apply the call; null when the call would fail (the tool reports why when it runs).
 */
final class ProposedDiff {

    private static final int CONTEXT = 3;

    private ProposedDiff() {}

    /** The diff of {@code tool}'s call with {@code input} in {@code workspace}, or null for other tools or failures. */
    static String of(Path workspace, String tool, JsonObject input) {
        try {
            String path = Json.string(input, "file_path", null);
            if (path == null) {
                return null;
            }
            Path file = Workspace.of(workspace).resolve(path);
            String before = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            String after;
            if (tool.equals(WriteTool.NAME)) {
                after = Json.string(input, "content", null);
            } else if (tool.equals(EditTool.NAME)) {
                after = edited(before, input);
            } else {
                return null;
            }
            return after == null ? null : unified(path, before, after);
        } catch (IOException | RuntimeException e) {
            return null; // unreadable or outside the workspace: the tool itself refuses it with a clear error
        }
    }

    private static String edited(String text, JsonObject input) {
        String oldString = Json.string(input, "old_string", "");
        String newString = Json.string(input, "new_string", null);
        if (oldString.isEmpty() || newString == null || !text.contains(oldString)) {
            return null;
        }
        return input.getBoolean("replace_all", false)
                ? text.replace(oldString, newString)
                : text.replaceFirst(Pattern.quote(oldString), Matcher.quoteReplacement(newString));
    }

    /** A one-hunk unified diff of {@code before} and {@code after}; empty when they are the same. */
    static String unified(String path, String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        if (prefix == a.size() && prefix == b.size()) {
            return "";
        }
        int suffix = 0;
        while (suffix < a.size() - prefix
                && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        int start = Math.max(0, prefix - CONTEXT);
        int endA = Math.min(a.size(), a.size() - suffix + CONTEXT);
        int endB = Math.min(b.size(), b.size() - suffix + CONTEXT);
        StringBuilder out = new StringBuilder();
        out.append("--- a/").append(path).append('\n');
        out.append("+++ b/").append(path).append('\n');
        out.append("@@ -")
                .append(range(start, endA - start))
                .append(" +")
                .append(range(start, endB - start))
                .append(" @@\n");
        for (int i = start; i < prefix; i++) {
            out.append(' ').append(a.get(i)).append('\n');
        }
        for (int i = prefix; i < a.size() - suffix; i++) {
            out.append('-').append(a.get(i)).append('\n');
        }
        for (int i = prefix; i < b.size() - suffix; i++) {
            out.append('+').append(b.get(i)).append('\n');
        }
        for (int i = a.size() - suffix; i < endA; i++) {
            out.append(' ').append(a.get(i)).append('\n');
        }
        return out.toString();
    }

    private static String range(int start, int count) {
        return (count == 0 ? start : start + 1) + "," + count;
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }
}
