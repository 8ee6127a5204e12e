package dev.miu.code;

import dev.miu.core.tool.Tool;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the command line says about a coding run.
 *
 * @param model         model spec from {@code --model}, or {@code null} for the configured default
 * @param mode          starting mode
 * @param session       session id to resume ({@code --session}), or {@code null}
 * @param continueLast  resume the latest session of this workspace ({@code --continue})
 * @param workspace     the folder to work in ({@code --workspace}, default the current folder)
 * @param extraTools    tools beyond the coding tools (MCP servers'), asked for each turn; they go through approval
 */
public record CodingOptions(String model, Mode mode, String session, boolean continueLast, Path workspace,
                            Supplier<List<Tool>> extraTools) {

    public CodingOptions(String model, Mode mode, String session, boolean continueLast, Path workspace) {
        this(model, mode, session, continueLast, workspace, List::of);
    }

    public CodingOptions withExtraTools(Supplier<List<Tool>> tools) {
        return new CodingOptions(model, mode, session, continueLast, workspace, tools);
    }

    public CodingOptions {
        extraTools = extraTools == null ? List::of : extraTools;
        if (session != null && continueLast) {
            throw new IllegalArgumentException("Use either --session or --continue, not both");
        }
        mode = mode == null ? Mode.NORMAL : mode;
        workspace = workspace == null ? Path.of("") : workspace;
    }
}
