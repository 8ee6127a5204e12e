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
    void theIssueDefaultsGateChangesAndLetReadsRun() {
        var normal = new ToolRef.Code(WS, "normal");
        assertTrue(ApprovalRules.issueDefaults(normal, "Write", false));
        assertTrue(ApprovalRules.issueDefaults(normal, "Edit", false));
        assertTrue(ApprovalRules.issueDefaults(normal, "Bash", false));
        assertFalse(ApprovalRules.issueDefaults(normal, "Read", false));
        assertFalse(ApprovalRules.issueDefaults(new ToolRef.Code(WS, "auto"), "Bash", false));
        var mcp = new ToolRef.Mcp("fs", null);
        assertTrue(ApprovalRules.issueDefaults(mcp, "write_file", false));
        assertFalse(ApprovalRules.issueDefaults(mcp, "read_file", true), "readOnlyHint");
        assertFalse(ApprovalRules.issueDefaults(new ToolRef.Builtin("current_time"), "current_time", false));
        assertFalse(ApprovalRules.issueDefaults(new ToolRef.Rag("docs"), "search_knowledge", false));
    }

    @Test
    void whatAnEntrySaysWinsAndTodaysRuleGatesNothingElse() {
        var code =
                new ToolRef.Code(WS, "auto", Map.of("Read", ToolRef.Approval.ALWAYS, "Bash", ToolRef.Approval.NEVER));
        assertTrue(ApprovalRules.waits(code, "Read", false, ApprovalRules.EXPLICIT_ONLY));
        assertFalse(ApprovalRules.waits(code, "Bash", false, ApprovalRules.ISSUE_DEFAULTS));
        assertFalse(ApprovalRules.waits(code, "Write", false, ApprovalRules.EXPLICIT_ONLY));
        assertFalse(ApprovalRules.waits(new ToolRef.Code(WS, "normal"), "Write", false, ApprovalRules.EXPLICIT_ONLY));
        assertTrue(ApprovalRules.waits(new ToolRef.Code(WS, "normal"), "Write", false, ApprovalRules.ISSUE_DEFAULTS));
        var mcp = new ToolRef.Mcp("fs", "read_file", ToolRef.Approval.ALWAYS);
        assertTrue(ApprovalRules.waits(mcp, "read_file", true, ApprovalRules.ISSUE_DEFAULTS));
        var never = new ToolRef.Mcp("fs", null, ToolRef.Approval.NEVER);
        assertFalse(ApprovalRules.waits(never, "write_file", false, ApprovalRules.ISSUE_DEFAULTS));
        var builtin = new ToolRef.Builtin("current_time", ToolRef.Approval.ALWAYS);
        assertTrue(ApprovalRules.waits(builtin, "current_time", false, ApprovalRules.EXPLICIT_ONLY));
    }
}
