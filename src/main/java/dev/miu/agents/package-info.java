/**
 * Declared agents: the definitions of app.yaml's {@code agents:} and the agents directory, checked as a whole
 * (references, cycles, workspaces, providers) before anything listens, and turned into runnable agents from the
 * library's parts ({@code core.agent}, {@code core.pattern}, MCP, RAG and the coding tools).
 */
package dev.miu.agents;
