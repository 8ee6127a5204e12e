/**
 * Approval of tool calls in the terminal: {@link dev.miu.code.approval.ApprovalGate} says, depending on the
 * {@link dev.miu.code.Mode}, whether a call runs, is refused, or waits: the agent's run then pauses
 * ({@link dev.miu.core.agent.ApprovalPolicy}) and an {@link dev.miu.code.approval.Approver} (the REPL or TUI prompt,
 * or a test) decides before it resumes. A denial is an error result carrying the user's reason; with nobody to ask
 * ({@code miu -q}) the result says so instead.
 */
package dev.miu.code.approval;
