package dev.miu.core.agent;

import dev.miu.core.message.Usage;
import dev.miu.core.tool.ToolEvent;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Where one model turn's tool calls report: the agent's tool events and what the tools report themselves (an agent
 * run as a tool passes on its events), one at a time, as tools may run in parallel. It also sums the usage the
 * tools report (the model calls of an agent run as a tool), which the calling run's usage includes.
 */
final class ToolEvents implements Consumer<ToolEvent> {

    private final Consumer<AgentEvent> events;
    private final ReentrantLock lock = new ReentrantLock();
    private Usage usage = Usage.ZERO;

    ToolEvents(Consumer<AgentEvent> events) {
        this.events = events;
    }

    @Override
    public void accept(ToolEvent event) {
        // only agent events exist; a Done belongs to the run that reports it, never to a tool's report
        if (!(event instanceof AgentEvent e) || e instanceof AgentEvent.Done) {
            return;
        }
        lock.lock();
        try {
            if (e instanceof AgentEvent.Nested n && n.event() instanceof AgentEvent.UsageUpdate u) {
                usage = usage.plus(u.usage());
            }
            events.accept(e);
        } finally {
            lock.unlock();
        }
    }

    /** Tokens used by model calls inside the tools so far. */
    Usage usage() {
        lock.lock();
        try {
            return usage;
        } finally {
            lock.unlock();
        }
    }
}
