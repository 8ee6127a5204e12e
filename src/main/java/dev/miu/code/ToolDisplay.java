package dev.miu.code;

import dev.miu.core.json.Json;
import jakarta.json.JsonObject;

import java.util.List;

/** How tool calls and results are shown in the terminal: {@code Read(src/Main.java)} and a short result preview. */
public final class ToolDisplay {

    private ToolDisplay() {}

    /** One line naming the tool and its main argument. */
    public static String summary(String toolName, JsonObject input) {
        String arg = switch (toolName) {
            case "Read", "Write", "Edit" -> Json.string(input, "file_path", "");
            case "Bash" -> Json.string(input, "command", "");
            case "Glob" -> Json.string(input, "pattern", "");
            case "Grep" ->
                Json.string(input, "pattern", "")
                        + (input.containsKey("glob") ? " in " + Json.string(input, "glob", "") : "");
            default -> input.toString();
        };
        return toolName + "(" + oneLine(arg, 80) + ")";
    }

    /** The first lines of a tool's output, and how many more there are. */
    public static List<String> preview(String output, int maxLines) {
        List<String> lines = output.strip().lines().toList();
        if (lines.isEmpty()) {
            return List.of("(no output)");
        }
        if (lines.size() <= maxLines) {
            return lines.stream().map(l -> oneLine(l, 200)).toList();
        }
        var out = new java.util.ArrayList<>(
                lines.subList(0, maxLines).stream().map(l -> oneLine(l, 200)).toList());
        out.add("… +" + (lines.size() - maxLines) + " lines");
        return out;
    }

    public static String oneLine(String s, int max) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() > max ? flat.substring(0, max - 1) + "…" : flat;
    }
}
