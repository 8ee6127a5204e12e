package dev.miu.core.pattern;

import dev.miu.core.CancelledException;
import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.PendingApprovals;
import dev.miu.core.agent.Response;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tracing.GenAi;
import dev.miu.core.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One run of a pattern: runs its sub-agents, frames each sub-agent's events ({@code AgentStart}, its events as
 * {@code Nested}, {@code AgentEnd}) and passes them on one at a time, since parallel tasks share the sink. It sums
 * what the sub-agents used and ends the pattern's stream with one {@code Done}, after which nothing is passed on.
 */
final class SubAgentRuns {

    /** How long {@link #finish} waits for sub-agents still stopping (cancelled or timed-out tasks) to report their end. */
    private static final Duration STRAGGLERS = Duration.ofSeconds(5);

    private final Consumer<AgentEvent> events;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int active;
    private boolean finished;
    private Usage usage = Usage.ZERO;
    private int iterations;

    SubAgentRuns(Consumer<AgentEvent> events) {
        this.events = events;
    }

    /** For the blocking {@code run} methods: the same runs, nothing reported. */
    static SubAgentRuns silent() {
        return new SubAgentRuns(e -> {});
    }

    /** Passes one event on, unless the run has finished (a straggler's late event). */
    void emit(AgentEvent event) {
        lock.lock();
        try {
            if (!finished) {
                events.accept(event);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code agent} on {@code conversation}, framing its events, and returns its response.
     *
     * @throws RuntimeException what the agent threw (after its {@code AgentEnd} with {@link StopReason#ERROR}, or
     *                          {@link StopReason#CANCELLED} for a {@link CancelledException})
     */
    Response stream(Agent agent, List<Message> conversation, ToolContext context) {
        String name = agent.config().name();
        lock.lock();
        try {
            active++;
        } finally {
            lock.unlock();
        }
        StopReason stop = StopReason.ERROR;
        try {
            emit(new AgentEvent.AgentStart(name));
            Response response = agent.stream(conversation, context, e -> {
                switch (e) {
                    case AgentEvent.Done ignored -> {} // the sub-agent's end is its AgentEnd
                    case AgentEvent.Nested n -> emit(n); // already names the agent speaking
                    default -> emit(new AgentEvent.Nested(name, e));
                }
            });
            add(response.usage(), response.iterations());
            stop = response.stopReason();
            return response;
        } catch (CancelledException e) {
            stop = StopReason.CANCELLED;
            throw e;
        } finally {
            emit(new AgentEvent.AgentEnd(name, stop));
            lock.lock();
            try {
                active--;
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** As {@link #stream}, with whatever happens turned into an {@link Outcome}; never throws. */
    Outcome run(Agent agent, List<Message> conversation, ToolContext context) {
        try {
            return AgentRuns.outcome(agent, stream(agent, conversation, context));
        } catch (CancelledException e) {
            return new Outcome.Cancelled(AgentRuns.message(e));
        } catch (RuntimeException e) {
            return new Outcome.Failed(AgentRuns.message(e));
        }
    }

    /** A model call of the pattern itself (a router's classifier): reported as the pattern's own usage. */
    void own(Response response) {
        add(response.usage(), response.iterations());
        emit(new AgentEvent.UsageUpdate(response.usage()));
    }

    /**
     * Ends the pattern's run: waits a little for sub-agents still stopping, so their {@code AgentEnd} comes first,
     * then reports {@code Done} with the summed usage; events arriving later are dropped.
     */
    Response finish(List<Message> messages, StopReason stopReason) {
        return finish(messages, stopReason, PendingApprovals.NONE);
    }

    /** As {@link #finish}, for a run paused where a sub-agent waits for a person ({@code pending}). */
    Response finishPaused(List<Message> messages, PendingApprovals pending) {
        return finish(messages, StopReason.AWAITING_APPROVAL, pending);
    }

    private Response finish(List<Message> messages, StopReason stopReason, PendingApprovals pending) {
        lock.lock();
        try {
            long wait = STRAGGLERS.toNanos();
            while (active > 0 && wait > 0) {
                wait = idle.awaitNanos(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        lock.lock();
        try {
            events.accept(new AgentEvent.Done(stopReason, usage));
            finished = true;
            return new Response(messages, stopReason, usage, iterations, pending);
        } finally {
            lock.unlock();
        }
    }

    private void add(Usage used, int calls) {
        lock.lock();
        try {
            usage = usage.plus(used);
            iterations += calls;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs a pattern's {@code body} in its span ({@code gen_ai.agent.name} set to the pattern's name, the session as
     * {@code gen_ai.conversation.id}), so its sub-agents' spans are children of it.
     */
    static <T> T inSpan(String name, String spanName, String operation, ToolContext context, Function<Span, T> body) {
        Context parent = Context.current();
        if (context.sessionId() != null) {
            parent = parent.with(Tracing.CONVERSATION, context.sessionId());
        }
        try (Scope ignored = parent.makeCurrent()) {
            return Tracing.current().inSpan(spanName, operation, span -> {
                span.setAttribute(GenAi.AGENT_NAME, name);
                return body.apply(span);
            });
        }
    }

    /** The conversation must end with the user's new message, as for any agent. */
    static String lastUserText(List<Message> conversation, String pattern) {
        if (conversation.isEmpty() || conversation.getLast().role() != Role.USER) {
            throw new IllegalArgumentException("The conversation must end with a user message");
        }
        String text = conversation.getLast().text();
        if (text.isBlank()) {
            throw new PatternException(pattern + " was given an empty message");
        }
        return text;
    }
}
