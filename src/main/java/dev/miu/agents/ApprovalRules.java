package dev.miu.agents;

import dev.miu.code.Mode;
import dev.miu.code.tools.BashTool;
import dev.miu.code.tools.EditTool;
import dev.miu.code.tools.WriteTool;
import dev.miu.config.ToolRef;

import java.util.Set;

/**
 * Whether a declared agent's tool waits for a person's approval. What an entry says ({@code approval: always|never})
 * decides; {@link Unsaid} decides for a tool whose entry says nothing.
 */
final class ApprovalRules {

    /** The coding tools that change things, which the issue's defaults gate. */
    private static final Set<String> CODE_CHANGES = Set.of(WriteTool.NAME, EditTool.NAME, BashTool.NAME);

    private ApprovalRules() {}

    /** Whether a tool whose entry says nothing waits. */
    @FunctionalInterface
    interface Unsaid {
        /**
         * @param ref         the entry that gave the tool
         * @param tool        the tool's name in the agent's registry
         * @param mcpReadOnly the MCP server marks the tool read-only ({@code readOnlyHint}); false for other kinds
         */
        boolean waits(ToolRef ref, String tool, boolean mcpReadOnly);
    }

    /**
     * Today's rule: only what a definition says explicitly waits, so nothing changes for a user until the studio
     * can show an approval card. Replace with {@link #issueDefaults} in {@link ToolFactory} to wire issue 24's defaults.
     */
    static final Unsaid EXPLICIT_ONLY = (ref, tool, mcpReadOnly) -> false;

    /**
     * Issue 24's defaults (not wired yet): a code entry's Write, Edit and Bash wait unless its mode is {@code auto};
     * an MCP tool waits unless its server marks it read-only; built-ins, RAG search and agent tools run unasked.
     */
    static final Unsaid ISSUE_DEFAULTS = ApprovalRules::issueDefaults;

    static boolean issueDefaults(ToolRef ref, String tool, boolean mcpReadOnly) {
        return switch (ref) {
            case ToolRef.Code c -> Mode.parse(c.mode()) != Mode.AUTO && CODE_CHANGES.contains(tool);
            case ToolRef.Mcp m -> !mcpReadOnly;
            case ToolRef.Builtin b -> false;
            case ToolRef.Rag r -> false;
            case ToolRef.AgentTool a -> false;
            case ToolRef.A2a a -> false;
        };
    }

    /** What {@code ref} says about {@code tool}: null when it says nothing. */
    static ToolRef.Approval said(ToolRef ref, String tool) {
        return switch (ref) {
            case ToolRef.Builtin b -> b.approval();
            case ToolRef.Mcp m -> m.approval();
            case ToolRef.Code c -> c.approvals().get(tool);
            case ToolRef.Rag r -> null;
            case ToolRef.AgentTool a -> null;
            case ToolRef.A2a a -> null;
        };
    }

    /** Whether {@code tool}, given by {@code ref}, waits: the entry's word, else {@code unsaid}'s. */
    static boolean waits(ToolRef ref, String tool, boolean mcpReadOnly, Unsaid unsaid) {
        ToolRef.Approval approval = said(ref, tool);
        return approval != null ? approval == ToolRef.Approval.ALWAYS : unsaid.waits(ref, tool, mcpReadOnly);
    }
}
