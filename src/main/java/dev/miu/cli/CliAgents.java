package dev.miu.cli;

import dev.miu.agents.ConfiguredAgents;
import dev.miu.code.DeclaredAgents;
import dev.miu.config.MiuConfig;
import dev.miu.core.agent.Agent;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.rag.Embedders;
import dev.miu.rag.KnowledgeBase;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The declared agents as the REPL and the TUI see them ({@code /agent NAME}, {@code --agent}): read and checked
 * the first time they are asked for, so a run that never switches agent neither reads them nor fails on them.
 */
final class CliAgents implements DeclaredAgents, AutoCloseable {

    private final MiuConfig config;
    private final McpServers mcp;
    private final ReentrantLock lock = new ReentrantLock();
    private KnowledgeBase knowledge;
    private ConfiguredAgents agents;

    CliAgents(MiuConfig config, McpServers mcp) {
        this.config = config;
        this.mcp = mcp;
    }

    private ConfiguredAgents agents() {
        lock.lock();
        try {
            if (agents == null) {
                if (knowledge == null) {
                    knowledge = Embedders.knowledgeBase(config.rag(), config.providers());
                }
                agents = ConfiguredAgents.load(config, mcp, knowledge, ProviderOptions.DEFAULT);
            }
            return agents;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<String> names() {
        return agents().names();
    }

    @Override
    public Agent create(String name) {
        return agents().create(name, null, null);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (knowledge != null) {
                knowledge.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
