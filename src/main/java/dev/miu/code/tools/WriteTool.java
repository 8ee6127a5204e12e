package dev.miu.code.tools;

import dev.miu.core.tool.Description;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolResult;
import dev.miu.core.tool.Tools;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code Write}: creates or overwrites a file, creating its parent folders. */
public final class WriteTool {

    public static final String NAME = "Write";

    private WriteTool() {}

    record Input(
            @Description("Path of the file, relative to the workspace root")
            String file_path,

            @Description("The complete new content of the file")
            String content) {}

    public static Tool tool() {
        return Tools.fromRecord(
                NAME,
                "Writes a file in the workspace, replacing it if it exists and creating "
                        + "missing parent folders. Prefer Edit for changing part of an existing file.",
                Input.class,
                (Input in, ToolContext ctx) -> CodingTools.inWorkspace(ctx, ws -> {
                    Path file = ws.resolve(in.file_path());
                    if (Files.isDirectory(file)) {
                        return ToolResult.error(ws.display(file) + " is a directory");
                    }
                    boolean existed = Files.exists(file);
                    Files.createDirectories(file.getParent());
                    byte[] bytes = in.content().getBytes(StandardCharsets.UTF_8);
                    Files.write(file, bytes);
                    return ToolResult.ok(
                            (existed ? "Overwrote " : "Created ") + ws.display(file) + " (" + bytes.length + " bytes)");
                }));
    }
}
