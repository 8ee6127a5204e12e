package dev.miu.agents;

import dev.miu.code.Mode;
import dev.miu.code.tools.BashTool;
import dev.miu.code.tools.EditTool;
import dev.miu.code.tools.WriteTool;
import dev.miu.config.ToolRef;

import java.util.Set;

/**
 * Whether a declared agent's tool waits for a person's approval. What an entry says ({@code approval: always|never})
 * decides; {@link #defaults} decide for a tool whose entry says nothing.
 */
final class ApprovalRules {

    /** The coding tools that change things, which the defaults gate. */
    private static final Set<String> CODE_CHANGES = Set.of(WriteTool.NAME, EditTool.NAME, BashTool.NAME);

    private ApprovalRules() {}

    /**
     * Whether a tool whose entry says nothing waits: a code entry's Write, Edit and Bash unless its mode is
     * {@code auto}; an MCP tool unless its server marks it read-only ({@code readOnlyHint}), since a server's tools
     * may change things; built-ins, RAG search and agent tools never.
     *
     * @param ref         the entry that gave the tool
     * @param tool        the tool's name in the agent's registry
     * @param mcpReadOnly the MCP server marks the tool read-only; false for other kinds
     */
    static boolean defaults(ToolRef ref, String tool, boolean mcpReadOnly) {
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

    /** Whether {@code tool}, given by {@code ref}, waits: the entry's word, else the {@link #defaults}. */
    static boolean waits(ToolRef ref, String tool, boolean mcpReadOnly) {
        ToolRef.Approval approval = said(ref, tool);
        return approval != null ? approval == ToolRef.Approval.ALWAYS : defaults(ref, tool, mcpReadOnly);
    }
}
