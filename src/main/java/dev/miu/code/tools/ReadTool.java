package dev.miu.code.tools;

import dev.miu.core.tool.Description;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolResult;
import dev.miu.core.tool.Tools;

import java.io.BufferedReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code Read}: a text file with line numbers, from an optional line offset, up to a line limit. */
public final class ReadTool {

    public static final String NAME = "Read";
    static final int DEFAULT_LIMIT = 2000;
    static final int MAX_LINE_CHARS = 2000;
    /** Keeps one call's output within a sane share of the context window, whatever the limit asked for. */
    static final int MAX_OUTPUT_CHARS = 100_000;

    private ReadTool() {}

    record Input(
            @Description("Path of the file, relative to the workspace root")
            String file_path,

            @Description("First line to read, counting from 1 (default 1)")
            Optional<Integer> offset,

            @Description("How many lines to read (default 2000)")
            Optional<Integer> limit) {}

    public static Tool tool() {
        return Tools.fromRecord(
                NAME,
                "Reads a text file of the workspace and returns its lines numbered from 1 "
                        + "(like cat -n). Use offset and limit to page through long files. Binary files are refused.",
                Input.class,
                (Input in, dev.miu.core.tool.ToolContext ctx) -> CodingTools.inWorkspace(ctx, ws -> {
                    int offset = in.offset().orElse(1);
                    int limit = in.limit().orElse(DEFAULT_LIMIT);
                    if (offset < 1 || limit < 1) {
                        return ToolResult.error("offset and limit must be at least 1");
                    }
                    Path file = ws.resolve(in.file_path());
                    String shown = ws.display(file);
                    if (!Files.exists(file)) {
                        return ToolResult.error("File not found: " + shown);
                    }
                    if (Files.isDirectory(file)) {
                        return ToolResult.error(shown + " is a directory; use Glob to list files");
                    }
                    if (CodingTools.isBinary(file)) {
                        return ToolResult.error("Cannot read binary file: " + shown);
                    }
                    return ToolResult.ok(read(file, offset, limit));
                }));
    }

    private static String read(Path file, int offset, int limit) throws java.io.IOException {
        var decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        var out = new StringBuilder();
        int lineNo = 0;
        int shown = 0;
        boolean more = false;
        try (BufferedReader reader =
                new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (lineNo < offset) {
                    continue;
                }
                if (shown == limit || out.length() > MAX_OUTPUT_CHARS) {
                    more = true;
                    break;
                }
                if (line.length() > MAX_LINE_CHARS) {
                    line = line.substring(0, MAX_LINE_CHARS) + " … (line truncated)";
                }
                out.append(String.format("%6d\t%s%n", lineNo, line));
                shown++;
            }
        }
        if (lineNo == 0) {
            return "(empty file)";
        }
        if (shown == 0) {
            return "(the file has " + lineNo + " lines; offset " + offset + " is past its end)";
        }
        if (more) {
            out.append("… (more lines follow; read on with offset ")
                    .append(offset + shown)
                    .append(")\n");
        }
        return out.toString();
    }
}
