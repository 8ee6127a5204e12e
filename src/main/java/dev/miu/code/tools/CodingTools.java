package dev.miu.code.tools;

import dev.miu.code.AccessDeniedException;
import dev.miu.code.Workspace;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolResult;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The six coding tools, and which of them only read. */
public final class CodingTools {

    /** Tools that never change the workspace: they run in every mode without asking. */
    public static final Set<String> READ_ONLY = Set.of(ReadTool.NAME, GlobTool.NAME, GrepTool.NAME);

    private CodingTools() {}

    /** Every coding tool, read tools first. */
    public static List<Tool> all() {
        return List.of(
                ReadTool.tool(), GlobTool.tool(), GrepTool.tool(), WriteTool.tool(), EditTool.tool(), BashTool.tool());
    }

    public static boolean isReadOnly(String toolName) {
        return READ_ONLY.contains(toolName);
    }

    /** Folders the search tools skip: version-control internals nobody wants in results. */
    static boolean skippedDirectory(Path dir) {
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        return name.equals(".git") || name.equals(".hg") || name.equals(".svn");
    }

    /** Runs {@code body} with the call's workspace; a path outside it becomes the "Access denied" error the model reads. */
    static ToolResult inWorkspace(ToolContext context, WorkspaceBody body) {
        try {
            return body.run(Workspace.of(context.workingDir()));
        } catch (AccessDeniedException e) {
            return ToolResult.error(e.getMessage());
        } catch (IOException e) {
            return ToolResult.error("I/O error: " + e.getMessage());
        }
    }

    /** A file is treated as binary when its first 8 KiB hold a NUL byte, as git and grep decide. */
    static boolean isBinary(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8192);
            for (byte b : head) {
                if (b == 0) {
                    return true;
                }
            }
            return false;
        }
    }

    @FunctionalInterface
    interface WorkspaceBody {
        ToolResult run(Workspace workspace) throws IOException;
    }
}
