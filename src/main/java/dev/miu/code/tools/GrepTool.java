package dev.miu.code.tools;

import dev.miu.core.tool.Description;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolResult;
import dev.miu.core.tool.Tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code Grep}: lines matching a regular expression, as {@code file:line: text}, optionally only in files matching a glob. */
public final class GrepTool {

    public static final String NAME = "Grep";
    static final int MAX_MATCHES = 200;
    static final int MAX_LINE_CHARS = 300;

    private GrepTool() {}

    record Input(
            @Description("Java regular expression to search for")
            String pattern,

            @Description("File or folder to search, relative to the workspace root (default: the root)")
            Optional<String> path,

            @Description("Only search files whose path matches this glob, e.g. **/*.java")
            Optional<String> glob,

            @Description("Match case-insensitively (default false)")
            Optional<Boolean> ignore_case) {}

    public static Tool tool() {
        return Tools.fromRecord(
                NAME,
                "Searches file contents in the workspace with a regular expression. Returns "
                        + "matching lines as path:line: text, sorted by path, at most " + MAX_MATCHES
                        + ". Binary files are skipped.",
                Input.class,
                (Input in, ToolContext ctx) -> CodingTools.inWorkspace(ctx, ws -> {
                    Pattern regex;
                    try {
                        regex = Pattern.compile(
                                in.pattern(), in.ignore_case().orElse(false) ? Pattern.CASE_INSENSITIVE : 0);
                    } catch (PatternSyntaxException e) {
                        return ToolResult.error(
                                "Invalid regular expression: " + e.getDescription() + " in '" + in.pattern() + "'");
                    }
                    Path base = ws.resolve(in.path().orElse("."));
                    if (!Files.exists(base)) {
                        return ToolResult.error("Not found: " + in.path().orElse("."));
                    }
                    PathMatcher filter = null;
                    if (in.glob().isPresent()) {
                        try {
                            filter = GlobTool.matcher(in.glob().get());
                        } catch (IllegalArgumentException e) {
                            return ToolResult.error("Invalid glob '" + in.glob().get() + "': " + e.getMessage());
                        }
                    }
                    List<Path> files = new ArrayList<>();
                    if (Files.isRegularFile(base)) {
                        files.add(base);
                    } else {
                        PathMatcher f = filter;
                        GlobTool.walk(base, file -> {
                            if (f == null || f.matches(base.relativize(file))) {
                                files.add(file);
                            }
                        });
                    }
                    files.sort(null);
                    List<String> hits = new ArrayList<>();
                    int total = 0;
                    for (Path file : files) {
                        if (CodingTools.isBinary(file)) {
                            continue;
                        }
                        total += search(file, ws.display(file), regex, hits, MAX_MATCHES);
                    }
                    if (total == 0) {
                        return ToolResult.ok("No matches for " + in.pattern());
                    }
                    String out = String.join("\n", hits) + "\n";
                    if (total > hits.size()) {
                        out += "… (" + (total - hits.size())
                                + " more matches not shown; narrow the pattern, path or glob)\n";
                    }
                    return ToolResult.ok(out);
                }));
    }

    /** Adds matches of one file to {@code hits} while under {@code max}; returns how many lines matched in all. */
    private static int search(Path file, String shown, Pattern regex, List<String> hits, int max) throws IOException {
        var decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        int matched = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (regex.matcher(line).find()) {
                    matched++;
                    if (hits.size() < max) {
                        String text = line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + " …" : line;
                        hits.add(shown + ":" + lineNo + ": " + text);
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return matched;
    }
}
