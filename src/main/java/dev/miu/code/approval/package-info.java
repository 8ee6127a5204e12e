/**
 * Approval of tool calls: {@link dev.miu.code.approval.ApprovalGate} wraps tools so that, depending on the
 * {@link dev.miu.code.Mode}, a call runs, is refused, or waits for an {@link dev.miu.code.approval.Approver}
 * (the REPL or TUI prompt, or a test) to decide. A denial is an error result carrying the user's reason; with nobody
 * to ask ({@code miu -q}) the result says so instead.
 */
package dev.miu.code.approval;
