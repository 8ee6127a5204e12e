/**
 * Multi-agent patterns over {@link dev.miu.core.agent.Agent}: {@link dev.miu.core.pattern.Orchestrator} runs a
 * DAG of tasks (independent ones in parallel on virtual threads), {@link dev.miu.core.pattern.Pipeline} runs
 * stages in order, and {@link dev.miu.core.pattern.Router} picks one agent per query by rules or a classifier
 * model. Each run has a name and a plain sequential structure, so tracing can wrap it with spans.
 * What happened to each unit of work is an {@link dev.miu.core.pattern.Outcome}. Each pattern can also be hosted as
 * an agent ({@code asAgent}), streaming its sub-agents' events framed by {@code AgentStart} / {@code AgentEnd};
 * {@link dev.miu.core.pattern.AgentTool} offers an agent to another agent as a tool.
 */
package dev.miu.core.pattern;
