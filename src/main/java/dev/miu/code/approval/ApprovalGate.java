package dev.miu.code.approval;

import dev.miu.code.Mode;
import dev.miu.code.ToolDisplay;
import dev.miu.code.tools.CodingTools;
import dev.miu.core.json.Json;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolResult;
import jakarta.json.JsonObject;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decides, per call, whether a tool may run in the current {@link Mode}: read-only tools always run; in
 * {@code plan} every other tool is refused; in {@code auto} everything runs; in {@code normal} the
 * {@link Approver} is asked unless the user already said "always" for that tool in this session.
 * The mode can change between (and during) runs; each call reads it when it starts.
 */
public final class ApprovalGate {

    private final AtomicReference<Mode> mode;
    private final Approver approver;
    private final Set<String> alwaysAllowed = ConcurrentHashMap.newKeySet();
    // one question at a time, even when the model asks for several tools in parallel
    private final ReentrantLock asking = new ReentrantLock();

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

    /** The same tools, each asking this gate before it runs. */
    public List<Tool> wrap(List<Tool> tools) {
        return tools.stream().map(this::wrap).toList();
    }

    public Tool wrap(Tool tool) {
        String name = tool.name();
        return new Tool(tool.spec(), (input, context) -> {
            ToolResult refusal = check(name, input);
            return refusal != null ? refusal : tool.handler().call(input, context);
        });
    }

    /** Null when the call may run, else the error result the model gets instead. */
    ToolResult check(String toolName, JsonObject input) throws InterruptedException {
        if (CodingTools.isReadOnly(toolName)) {
            return null;
        }
        Mode current = mode.get();
        switch (current) {
            case AUTO -> {
                return null;
            }
            case PLAN -> {
                return ToolResult.error("Refused: " + toolName + " is not available in plan mode. You are planning: "
                        + "read and search only, then present your plan; the user switches modes to carry it out.");
            }
            case NORMAL -> {
                if (alwaysAllowed.contains(toolName)) {
                    return null;
                }
                asking.lockInterruptibly();
                try {
                    if (alwaysAllowed.contains(toolName)) {
                        return null; // allowed "always" while this call waited for the lock
                    }
                    Decision decision = approver.decide(describe(toolName, input));
                    return switch (decision) {
                        case Decision.Allow a -> null;
                        case Decision.AllowAlways a -> {
                            alwaysAllowed.add(toolName);
                            yield null;
                        }
                        case Decision.Deny d ->
                            ToolResult.error("The user denied this " + toolName + " call"
                                    + (d.reason().isEmpty() ? "." : ": " + d.reason()));
                        case Decision.Unasked u ->
                            ToolResult.error(
                                    "Refused: this " + toolName + " call was not run" + " because " + u.reason());
                    };
                } finally {
                    asking.unlock();
                }
            }
            default -> throw new IllegalStateException("Unhandled mode " + current);
        }
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
