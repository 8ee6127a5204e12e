package dev.miu.code.approval;

import dev.miu.code.Mode;
import dev.miu.code.ToolDisplay;
import dev.miu.code.tools.CodingTools;
import dev.miu.core.agent.ApprovalDecision;
import dev.miu.core.agent.ApprovalPolicy;
import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolResult;
import jakarta.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides, per call, whether a tool may run in the current {@link Mode}: read-only tools always run; in
 * {@code plan} every other tool is refused; in {@code auto} everything runs; in {@code normal} the call waits for
 * approval (the agent's run pauses, see {@link #policy}) and the {@link Approver} is asked ({@link #decide}) unless
 * the user already said "always" for that tool in this session. The mode can change between (and during) runs; each
 * call reads it when the model asks for it.
 */
public final class ApprovalGate {

    private final AtomicReference<Mode> mode;
    private final Approver approver;
    private final Set<String> alwaysAllowed = ConcurrentHashMap.newKeySet();

    public ApprovalGate(Mode mode, Approver approver) {
        this.mode = new AtomicReference<>(Objects.requireNonNull(mode, "mode"));
        this.approver = Objects.requireNonNull(approver, "approver");
    }

    public Mode mode() {
        return mode.get();
    }

    public void setMode(Mode next) {
        mode.set(Objects.requireNonNull(next, "mode"));
    }

    /** Moves to the next mode in the cycle and returns it. */
    public Mode cycleMode() {
        return mode.updateAndGet(Mode::next);
    }

    /** Forgets "always" answers, e.g. when a new session starts. */
    public void resetSession() {
        alwaysAllowed.clear();
    }

    public Set<String> alwaysAllowed() {
        return Set.copyOf(alwaysAllowed);
    }

    /**
     * Which calls wait for the user: in {@code normal} mode, those of the {@code gated} tools (the ones that may
     * change something) not allowed "always"; in the other modes none (plan refuses them when they run instead).
     */
    public ApprovalPolicy policy(Set<String> gated) {
        Set<String> names = Set.copyOf(gated);
        return call -> names.contains(call.name())
                && !CodingTools.isReadOnly(call.name())
                && mode.get() == Mode.NORMAL
                && !alwaysAllowed.contains(call.name());
    }

    /**
     * Asks the user about each waiting call, one at a time in the model's order; a call of a tool the user allowed
     * "always" meanwhile is approved without asking.
     *
     * @throws InterruptedException when the user interrupts a question: nothing more is asked
     */
    public Map<String, ApprovalDecision> decide(List<ContentBlock.ToolUse> waiting) throws InterruptedException {
        Map<String, ApprovalDecision> decisions = new LinkedHashMap<>();
        for (ContentBlock.ToolUse call : waiting) {
            String name = call.name();
            if (alwaysAllowed.contains(name)) {
                decisions.put(call.id(), ApprovalDecision.approve());
                continue;
            }
            ApprovalDecision decision = switch (approver.decide(describe(name, call.input()))) {
                case Decision.Allow a -> ApprovalDecision.approve();
                case Decision.AllowAlways a -> {
                    alwaysAllowed.add(name);
                    yield ApprovalDecision.approve();
                }
                case Decision.Deny d -> ApprovalDecision.deny(d.reason());
                case Decision.Unasked u ->
                    new ApprovalDecision.Refuse("Refused: this " + name + " call was not run because " + u.reason());
            };
            decisions.put(call.id(), decision);
        }
        return decisions;
    }

    /** The same tools, refused while planning (the mode may change after they were offered). */
    public List<Tool> wrap(List<Tool> tools) {
        return tools.stream().map(this::wrap).toList();
    }

    public Tool wrap(Tool tool) {
        String name = tool.name();
        return new Tool(tool.spec(), (input, context) -> {
            ToolResult refusal = check(name);
            return refusal != null ? refusal : tool.handler().call(input, context);
        });
    }

    /** Null when the call may run (approval, when needed, came before), else the error result the model gets. */
    private ToolResult check(String toolName) {
        if (CodingTools.isReadOnly(toolName) || mode.get() != Mode.PLAN) {
            return null;
        }
        return ToolResult.error("Refused: " + toolName + " is not available in plan mode. You are planning: "
                + "read and search only, then present your plan; the user switches modes to carry it out.");
    }

    /** What the user is shown: a one-line summary and the details that matter for the tool. */
    public static ApprovalRequest describe(String toolName, JsonObject input) {
        String detail = switch (toolName) {
            case "Bash" -> Json.string(input, "command", "");
            case "Write" -> Json.string(input, "content", "");
            case "Edit" ->
                "- " + Json.string(input, "old_string", "").replace("\n", "\n- ") + "\n+ "
                        + Json.string(input, "new_string", "").replace("\n", "\n+ ");
            default -> Json.write(input);
        };
        return new ApprovalRequest(toolName, input, ToolDisplay.summary(toolName, input), detail);
    }
}
