package dev.miu.code.tools;

import dev.miu.core.tool.Description;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolResult;
import dev.miu.core.tool.Tools;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code Edit}: replaces an exact string in a file, once (it must be unique) or everywhere with {@code replace_all}. */
public final class EditTool {

    public static final String NAME = "Edit";

    private EditTool() {}

    record Input(
            @Description("Path of the file, relative to the workspace root")
            String file_path,

            @Description("The exact text to replace, including whitespace and indentation")
            String old_string,

            @Description("The text to put in its place") String new_string,

            @Description("Replace every occurrence instead of exactly one (default false)")
            Optional<Boolean> replace_all) {}

    public static Tool tool() {
        return Tools.fromRecord(
                NAME,
                "Replaces exact text in a file. old_string must occur exactly once unless "
                        + "replace_all is true; include surrounding lines to make it unique. Read the file first.",
                Input.class,
                (Input in, ToolContext ctx) -> CodingTools.inWorkspace(ctx, ws -> {
                    Path file = ws.resolve(in.file_path());
                    String shown = ws.display(file);
                    if (!Files.isRegularFile(file)) {
                        return ToolResult.error("File not found: " + shown + " (use Write to create a file)");
                    }
                    if (in.old_string().isEmpty()) {
                        return ToolResult.error("old_string is empty; give the exact text to replace");
                    }
                    if (in.old_string().equals(in.new_string())) {
                        return ToolResult.error("old_string and new_string are the same; nothing to change");
                    }
                    if (CodingTools.isBinary(file)) {
                        return ToolResult.error("Cannot edit binary file: " + shown);
                    }
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    int count = occurrences(text, in.old_string());
                    if (count == 0) {
                        return ToolResult.error("old_string was not found in " + shown
                                + "; it must match exactly, including whitespace");
                    }
                    boolean all = in.replace_all().orElse(false);
                    if (count > 1 && !all) {
                        return ToolResult.error("old_string occurs " + count + " times in " + shown
                                + "; add surrounding lines to make it unique, or set replace_all to true");
                    }
                    String updated = all
                            ? text.replace(in.old_string(), in.new_string())
                            : text.replaceFirst(
                                    java.util.regex.Pattern.quote(in.old_string()),
                                    java.util.regex.Matcher.quoteReplacement(in.new_string()));
                    Files.writeString(file, updated, StandardCharsets.UTF_8);
                    return ToolResult.ok("Replaced " + (all ? count : 1) + " occurrence"
                            + ((all ? count : 1) == 1 ? "" : "s") + " in " + shown);
                }));
    }

    static int occurrences(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            count++;
        }
        return count;
    }
}
