/**
 * Agents: {@link dev.miu.core.agent.ReActAgent} runs the reason-act loop (model call, tool calls, repeat) with a
 * streaming run that emits {@link dev.miu.core.agent.AgentEvent}s and a blocking twin that collects them. Tool calls
 * its {@link dev.miu.core.agent.ApprovalPolicy} marks wait for a person: the run pauses with the
 * {@link dev.miu.core.agent.PendingApprovals} as plain data and goes on with
 * {@link dev.miu.core.agent.ReActAgent#resume} once each is decided ({@link dev.miu.core.agent.ApprovalDecision}).
 */
package dev.miu.core.agent;
