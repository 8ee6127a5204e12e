package dev.miu.code.approval;

import dev.miu.code.Mode;
import dev.miu.code.tools.CodingTools;
import dev.miu.core.agent.ApprovalDecision;
import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What runs, what is refused and when the user is asked, in each mode. */
class ApprovalGateTest {

    @TempDir
    Path root;

    /** An approver that answers from a script and records what it was asked. */
    static final class ScriptedApprover implements Approver {
        final Deque<Decision> answers = new ArrayDeque<>();
        final List<ApprovalRequest> asked = new ArrayList<>();

        ScriptedApprover answer(Decision... decisions) {
            answers.addAll(List.of(decisions));
            return this;
        }

        @Override
        public Decision decide(ApprovalRequest request) {
            asked.add(request);
            if (answers.isEmpty()) {
                throw new AssertionError("Asked unexpectedly about " + request.summary());
            }
            return answers.poll();
        }
    }

    /** One call as the coding agent makes it: it waits for a decision when the policy says so, then runs or not. */
    private ContentBlock.ToolResult call(ApprovalGate gate, String tool, String args) {
        var registry = ToolRegistry.of(gate.wrap(CodingTools.all()));
        var use = new ContentBlock.ToolUse("t1", tool, Json.parse(args).asJsonObject());
        if (gate.policy(Set.of("Write", "Edit", "Bash")).requires(use)) {
            ApprovalDecision decision;
            try {
                decision = gate.decide(List.of(use)).get("t1");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            ContentBlock.ToolResult refused = ApprovalDecision.resultOf(use, decision);
            if (refused != null) {
                return refused;
            }
        }
        return registry.execute(use, new ToolContext(root, "s"));
    }

    @Test
    void alwaysGivenForOneCallApprovesTheRestOfTheSameMessageUnasked() throws Exception {
        var approver = new ScriptedApprover().answer(new Decision.AllowAlways(), new Decision.Deny("no"));
        var gate = new ApprovalGate(Mode.NORMAL, approver);
        var calls = List.of(
                new ContentBlock.ToolUse("b1", "Bash", Json.parseObject("{\"command\":\"true\"}")),
                new ContentBlock.ToolUse("w1", "Write", Json.parseObject("{\"file_path\":\"w\",\"content\":\"\"}")),
                new ContentBlock.ToolUse("b2", "Bash", Json.parseObject("{\"command\":\"false\"}")));
        var decisions = gate.decide(calls);
        assertEquals(List.of("b1", "w1", "b2"), List.copyOf(decisions.keySet()));
        assertEquals(ApprovalDecision.approve(), decisions.get("b1"));
        assertEquals(ApprovalDecision.deny("no"), decisions.get("w1"));
        assertEquals(ApprovalDecision.approve(), decisions.get("b2"));
        assertEquals(2, approver.asked.size(), "the second Bash call was not asked about");
        assertFalse(gate.policy(Set.of("Bash")).requires(calls.get(2)), "nor will the next one be");
    }

    @Test
    void normalModeRunsReadToolsWithoutAsking() throws Exception {
        Files.writeString(root.resolve("a.txt"), "hi\n");
        var approver = new ScriptedApprover();
        var gate = new ApprovalGate(Mode.NORMAL, approver);
        assertFalse(call(gate, "Read", "{\"file_path\":\"a.txt\"}").isError());
        assertFalse(call(gate, "Glob", "{\"pattern\":\"*\"}").isError());
        assertFalse(call(gate, "Grep", "{\"pattern\":\"hi\"}").isError());
        assertTrue(approver.asked.isEmpty());
    }

    @Test
    void normalModeAsksBeforeWriteEditAndBash() throws Exception {
        var approver = new ScriptedApprover().answer(new Decision.Allow(), new Decision.Allow(), new Decision.Allow());
        var gate = new ApprovalGate(Mode.NORMAL, approver);
        assertFalse(call(gate, "Write", "{\"file_path\":\"f.txt\",\"content\":\"one\"}")
                .isError());
        assertFalse(call(gate, "Edit", "{\"file_path\":\"f.txt\",\"old_string\":\"one\",\"new_string\":\"two\"}")
                .isError());
        assertFalse(call(gate, "Bash", "{\"command\":\"echo hi\"}").isError());
        assertEquals(
                List.of("Write(f.txt)", "Edit(f.txt)", "Bash(echo hi)"),
                approver.asked.stream().map(ApprovalRequest::summary).toList());
        assertEquals("one", approver.asked.getFirst().detail());
        assertEquals("- one\n+ two", approver.asked.get(1).detail());
        assertEquals("two", Files.readString(root.resolve("f.txt")));
    }

    @Test
    void aDenialReturnsTheReasonToTheModelAndRunsNothing() {
        var approver =
                new ScriptedApprover().answer(new Decision.Deny("use the docs folder instead"), new Decision.Deny(""));
        var gate = new ApprovalGate(Mode.NORMAL, approver);
        ContentBlock.ToolResult r = call(gate, "Write", "{\"file_path\":\"f.txt\",\"content\":\"x\"}");
        assertTrue(r.isError());
        assertEquals("The user denied this Write call: use the docs folder instead", r.content());
        assertFalse(Files.exists(root.resolve("f.txt")));
        assertEquals(
                "The user denied this Bash call.",
                call(gate, "Bash", "{\"command\":\"touch g\"}").content());
        assertFalse(Files.exists(root.resolve("g")));
    }

    @Test
    void alwaysAllowsThatToolForTheRestOfTheSession() {
        var approver = new ScriptedApprover().answer(new Decision.AllowAlways(), new Decision.Allow());
        var gate = new ApprovalGate(Mode.NORMAL, approver);
        assertFalse(call(gate, "Bash", "{\"command\":\"true\"}").isError());
        assertFalse(call(gate, "Bash", "{\"command\":\"true\"}").isError());
        assertEquals(1, approver.asked.size(), "the second Bash call was not asked about");
        assertFalse(
                call(gate, "Write", "{\"file_path\":\"w\",\"content\":\"\"}").isError());
        assertEquals(2, approver.asked.size(), "always covers only the tool it was given for");
        gate.resetSession();
        approver.answer(new Decision.Allow());
        call(gate, "Bash", "{\"command\":\"true\"}");
        assertEquals(3, approver.asked.size(), "a new session asks again");
    }

    @Test
    void planModeRefusesChangesWithoutAsking() throws Exception {
        Files.writeString(root.resolve("a.txt"), "hi\n");
        var approver = new ScriptedApprover();
        var gate = new ApprovalGate(Mode.PLAN, approver);
        assertFalse(call(gate, "Read", "{\"file_path\":\"a.txt\"}").isError());
        for (String[] c : new String[][] {
            {"Write", "{\"file_path\":\"b\",\"content\":\"\"}"},
            {"Edit", "{\"file_path\":\"a.txt\",\"old_string\":\"hi\",\"new_string\":\"x\"}"},
            {"Bash", "{\"command\":\"touch c\"}"}
        }) {
            ContentBlock.ToolResult r = call(gate, c[0], c[1]);
            assertTrue(r.isError());
            assertTrue(r.content().contains("not available in plan mode"), r.content());
        }
        assertTrue(approver.asked.isEmpty());
        assertEquals("hi\n", Files.readString(root.resolve("a.txt")));
        assertFalse(Files.exists(root.resolve("b")) || Files.exists(root.resolve("c")));
    }

    @Test
    void autoModeRunsEverythingWithoutAsking() {
        var approver = new ScriptedApprover();
        var gate = new ApprovalGate(Mode.AUTO, approver);
        assertFalse(
                call(gate, "Write", "{\"file_path\":\"b\",\"content\":\"x\"}").isError());
        assertFalse(call(gate, "Bash", "{\"command\":\"touch c\"}").isError());
        assertTrue(Files.exists(root.resolve("b")) && Files.exists(root.resolve("c")));
        assertTrue(approver.asked.isEmpty());
    }

    @Test
    void modesCycleAndTakeEffectOnTheNextCall() {
        var approver = new ScriptedApprover().answer(new Decision.Deny("no"));
        var gate = new ApprovalGate(Mode.AUTO, approver);
        assertEquals(Mode.NORMAL, gate.cycleMode());
        assertTrue(call(gate, "Bash", "{\"command\":\"true\"}").isError());
        assertEquals(Mode.PLAN, gate.cycleMode());
        assertEquals(Mode.AUTO, gate.cycleMode());
        assertFalse(call(gate, "Bash", "{\"command\":\"true\"}").isError());
        assertEquals(Mode.PLAN, Mode.parse(" Plan "));
    }

    @Test
    void withNobodyToAskARefusalSaysSoAndHowToAllow() {
        var gate = new ApprovalGate(
                Mode.NORMAL, Approver.nobodyToAsk("miu -q cannot ask for approval; rerun with --mode auto."));
        var result = call(gate, "Write", "{\"file_path\":\"b\",\"content\":\"x\"}");
        assertTrue(result.isError());
        assertEquals(
                "Refused: this Write call was not run because miu -q cannot ask for approval; rerun with --mode auto.",
                result.content());
        assertFalse(result.content().contains("denied"), "the model must not think the user said no");
        assertFalse(Files.exists(root.resolve("b")));
    }
}
