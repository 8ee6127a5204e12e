package dev.miu.code.tools;

import dev.miu.core.tool.Description;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolResult;
import dev.miu.core.tool.Tools;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code Glob}: files whose workspace-relative path matches a glob, sorted, at most {@link #MAX_RESULTS}. */
public final class GlobTool {

    public static final String NAME = "Glob";
    static final int MAX_RESULTS = 500;

    private GlobTool() {}

    record Input(
            @Description(
                    "Glob such as **/*.java or src/**/Test*.kt, matched against paths relative to the search folder")
            String pattern,

            @Description("Folder to search in, relative to the workspace root (default: the root)")
            Optional<String> path) {}

    public static Tool tool() {
        return Tools.fromRecord(
                NAME,
                "Finds files by name pattern (glob) in the workspace. Returns matching paths "
                        + "relative to the workspace root, sorted, at most " + MAX_RESULTS + ".",
                Input.class,
                (Input in, ToolContext ctx) -> CodingTools.inWorkspace(ctx, ws -> {
                    Path base = ws.resolve(in.path().orElse("."));
                    if (!Files.isDirectory(base)) {
                        return ToolResult.error("Not a folder: " + in.path().orElse("."));
                    }
                    PathMatcher matcher;
                    try {
                        matcher = matcher(in.pattern());
                    } catch (IllegalArgumentException e) {
                        return ToolResult.error("Invalid glob '" + in.pattern() + "': " + e.getMessage());
                    }
                    List<String> found = new ArrayList<>();
                    walk(base, file -> {
                        if (matcher.matches(base.relativize(file))) {
                            found.add(ws.display(file));
                        }
                    });
                    if (found.isEmpty()) {
                        return ToolResult.ok("No files match " + in.pattern());
                    }
                    found.sort(null);
                    return ToolResult.ok(capped(found, MAX_RESULTS));
                }));
    }

    /** Java globs need a slash for {@code **}{@code /}; also match top-level names so {@code **}{@code /*.java} finds {@code A.java}. */
    static PathMatcher matcher(String glob) {
        PathMatcher main = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        if (glob.startsWith("**/")) {
            PathMatcher top = FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3));
            return p -> main.matches(p) || top.matches(p);
        }
        return main;
    }

    /** Visits regular files below {@code base}, not following symlinks (so links cannot lead outside) and skipping .git. */
    static void walk(Path base, java.util.function.Consumer<Path> visitor) throws IOException {
        Files.walkFileTree(base, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(base) && CodingTools.skippedDirectory(dir)
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    visitor.accept(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE; // unreadable entries are skipped, not fatal
            }
        });
    }

    static String capped(List<String> lines, int max) {
        var out = new StringBuilder();
        for (int i = 0; i < Math.min(max, lines.size()); i++) {
            out.append(lines.get(i)).append('\n');
        }
        if (lines.size() > max) {
            out.append("… (").append(lines.size() - max).append(" more not shown; narrow the pattern)\n");
        }
        return out.toString();
    }
}
