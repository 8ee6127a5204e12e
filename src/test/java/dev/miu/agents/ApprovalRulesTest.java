package dev.miu.agents;

import dev.miu.config.ToolRef;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which declared tools wait: the entry's word first, then the rule for what it does not say. */
class ApprovalRulesTest {

    private static final Path WS = Path.of("/ws");

    @Test
    void theDefaultsGateChangesAndLetReadsRun() {
        var normal = new ToolRef.Code(WS, "normal");
        assertTrue(ApprovalRules.defaults(normal, "Write", false));
        assertTrue(ApprovalRules.defaults(normal, "Edit", false));
        assertTrue(ApprovalRules.defaults(normal, "Bash", false));
        assertFalse(ApprovalRules.defaults(normal, "Read", false));
        assertFalse(ApprovalRules.defaults(new ToolRef.Code(WS, "auto"), "Bash", false));
        var mcp = new ToolRef.Mcp("fs", null);
        assertTrue(ApprovalRules.defaults(mcp, "write_file", false));
        assertFalse(ApprovalRules.defaults(mcp, "read_file", true), "readOnlyHint");
        assertFalse(ApprovalRules.defaults(new ToolRef.Builtin("current_time"), "current_time", false));
        assertFalse(ApprovalRules.defaults(new ToolRef.Rag("docs"), "search_knowledge", false));
    }

    @Test
    void whatAnEntrySaysWins() {
        var code =
                new ToolRef.Code(WS, "auto", Map.of("Read", ToolRef.Approval.ALWAYS, "Bash", ToolRef.Approval.NEVER));
        assertTrue(ApprovalRules.waits(code, "Read", false));
        assertFalse(ApprovalRules.waits(code, "Bash", false));
        assertFalse(ApprovalRules.waits(code, "Write", false), "mode auto");
        assertTrue(ApprovalRules.waits(new ToolRef.Code(WS, "normal"), "Write", false));
        var mcp = new ToolRef.Mcp("fs", "read_file", ToolRef.Approval.ALWAYS);
        assertTrue(ApprovalRules.waits(mcp, "read_file", true));
        var never = new ToolRef.Mcp("fs", null, ToolRef.Approval.NEVER);
        assertFalse(ApprovalRules.waits(never, "write_file", false));
        var builtin = new ToolRef.Builtin("current_time", ToolRef.Approval.ALWAYS);
        assertTrue(ApprovalRules.waits(builtin, "current_time", false));
    }
}
