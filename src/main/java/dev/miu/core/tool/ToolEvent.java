package dev.miu.core.tool;

/**
 * Something a running tool reports to the agent that called it, such as the events of an agent run as a tool. The
 * agent events ({@code dev.miu.core.agent.AgentEvent}) are the ones there are; this marker lives here because the
 * tool package cannot depend on the agent package, which builds on it.
 */
public interface ToolEvent {}
