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
 * @param extraTools    tools beyond the coding tools (MCP servers' that may change things), asked for each turn;
 *                      they go through approval
 * @param readOnlyTools tools from outside that only read (search_knowledge, MCP tools marked read-only): no
 *                      approval, offered while planning too
 * @param declaredAgents the agents of the configuration that {@code /agent NAME} can switch to
 * @param agent         the declared agent to start with ({@code --agent}), or {@code null} for the coding agent
 */
public record CodingOptions(
        String model,
        Mode mode,
        String session,
        boolean continueLast,
        Path workspace,
        Supplier<List<Tool>> extraTools,
        Supplier<List<Tool>> readOnlyTools,
        DeclaredAgents declaredAgents,
        String agent) {

    public CodingOptions(String model, Mode mode, String session, boolean continueLast, Path workspace) {
        this(model, mode, session, continueLast, workspace, List::of, List::of, DeclaredAgents.NONE, null);
    }

    public CodingOptions withExtraTools(Supplier<List<Tool>> tools) {
        return new CodingOptions(
                model, mode, session, continueLast, workspace, tools, readOnlyTools, declaredAgents, agent);
    }

    public CodingOptions withReadOnlyTools(Supplier<List<Tool>> tools) {
        return new CodingOptions(
                model, mode, session, continueLast, workspace, extraTools, tools, declaredAgents, agent);
    }

    /** These options with the declared agents {@code /agent} offers, starting with {@code agent} (may be null). */
    public CodingOptions withDeclaredAgents(DeclaredAgents agents, String agent) {
        return new CodingOptions(
                model, mode, session, continueLast, workspace, extraTools, readOnlyTools, agents, agent);
    }

    public CodingOptions {
        extraTools = extraTools == null ? List::of : extraTools;
        readOnlyTools = readOnlyTools == null ? List::of : readOnlyTools;
        declaredAgents = declaredAgents == null ? DeclaredAgents.NONE : declaredAgents;
        if (session != null && continueLast) {
            throw new IllegalArgumentException("Use either --session or --continue, not both");
        }
        mode = mode == null ? Mode.NORMAL : mode;
        workspace = workspace == null ? Path.of("") : workspace;
    }
}
