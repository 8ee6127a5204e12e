/**
 * Agents: {@link dev.miu.core.agent.ReActAgent} runs the reason-act loop (model call, tool calls, repeat) with a
 * streaming run that emits {@link dev.miu.core.agent.AgentEvent}s and a blocking twin that collects them.
 */
package dev.miu.core.agent;
