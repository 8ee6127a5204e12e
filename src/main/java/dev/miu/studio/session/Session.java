package dev.miu.studio.session;

import dev.miu.core.message.Message;
import dev.miu.core.message.Usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A conversation kept by the studio: its settings and every message exactly as it goes back to the provider
 * (user text, assistant turns with tool calls, tool results).
 *
 * @param id           lower-case UUID
 * @param model        model spec {@code provider:model}, or {@code null} for the server's default at turn time
 * @param systemPrompt system prompt sent with every turn, or {@code null} for none
 * @param usage        tokens used by every turn of the session so far
 * @param agent        the declared agent its turns run, or {@code null} for the server's default agent (sessions
 *                     stored before agents were named)
 * @param approvals    the tool calls of its last turn that wait for a person, and the tools approved for the session
 */
public record Session(
        String id,
        String name,
        String model,
        String systemPrompt,
        Instant createdAt,
        Instant updatedAt,
        List<Message> messages,
        Usage usage,
        String agent,
        SessionApprovals approvals) {

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        messages = List.copyOf(messages);
        usage = usage == null ? Usage.ZERO : usage;
        approvals = approvals == null ? SessionApprovals.NONE : approvals;
    }

    public Session(
            String id,
            String name,
            String model,
            String systemPrompt,
            Instant createdAt,
            Instant updatedAt,
            List<Message> messages,
            Usage usage,
            String agent) {
        this(id, name, model, systemPrompt, createdAt, updatedAt, messages, usage, agent, SessionApprovals.NONE);
    }

    public Session(
            String id,
            String name,
            String model,
            String systemPrompt,
            Instant createdAt,
            Instant updatedAt,
            List<Message> messages,
            Usage usage) {
        this(id, name, model, systemPrompt, createdAt, updatedAt, messages, usage, null);
    }

    public Session(
            String id,
            String name,
            String model,
            String systemPrompt,
            Instant createdAt,
            Instant updatedAt,
            List<Message> messages) {
        this(id, name, model, systemPrompt, createdAt, updatedAt, messages, Usage.ZERO, null);
    }

    public SessionSummary summary() {
        return new SessionSummary(id, name, model, createdAt, updatedAt, messages.size(), agent);
    }

    public Session withName(String name) {
        return new Session(id, name, model, systemPrompt, createdAt, Instant.now(), messages, usage, agent, approvals);
    }

    public Session withModel(String model) {
        return new Session(id, name, model, systemPrompt, createdAt, Instant.now(), messages, usage, agent, approvals);
    }

    public Session withSystemPrompt(String systemPrompt) {
        return new Session(id, name, model, systemPrompt, createdAt, Instant.now(), messages, usage, agent, approvals);
    }

    public Session withAgent(String agent) {
        return new Session(id, name, model, systemPrompt, createdAt, Instant.now(), messages, usage, agent, approvals);
    }

    /** This session as shown and run: with {@code defaultAgent} when it names none, its update time unchanged. */
    public Session orAgent(String defaultAgent) {
        return agent != null
                ? this
                : new Session(
                        id, name, model, systemPrompt, createdAt, updatedAt, messages, usage, defaultAgent, approvals);
    }

    public Session withApprovals(SessionApprovals approvals) {
        return new Session(id, name, model, systemPrompt, createdAt, Instant.now(), messages, usage, agent, approvals);
    }

    public Session append(List<Message> more) {
        return append(more, Usage.ZERO);
    }

    /** The session with {@code more} messages at the end and a turn's {@code turnUsage} added to its total. */
    public Session append(List<Message> more, Usage turnUsage) {
        List<Message> all = new ArrayList<>(messages);
        all.addAll(more);
        return new Session(
                id, name, model, systemPrompt, createdAt, Instant.now(), all, usage.plus(turnUsage), agent, approvals);
    }
}
