package dev.miu.core.tool;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where a tool call runs: the working directory it is confined to, the session it belongs to ({@code null} outside
 * a session), and where it may report progress ({@code events}: the calling agent passes them on in its stream;
 * ignored outside an agent run).
 */
public record ToolContext(Path workingDir, String sessionId, Consumer<ToolEvent> events) {

    private static final Consumer<ToolEvent> IGNORED = e -> {};

    public ToolContext {
        Objects.requireNonNull(workingDir, "workingDir");
        events = events == null ? IGNORED : events;
    }

    public ToolContext(Path workingDir, String sessionId) {
        this(workingDir, sessionId, IGNORED);
    }

    public static ToolContext current() {
        return new ToolContext(Path.of("").toAbsolutePath(), null);
    }

    public ToolContext withSessionId(String id) {
        return new ToolContext(workingDir, id, events);
    }

    /** This context with tools' reports going to {@code events}. */
    public ToolContext withEvents(Consumer<ToolEvent> events) {
        return new ToolContext(workingDir, sessionId, events);
    }

    /** This context confined to another folder: how a declared agent's coding tools work in its own workspace. */
    public ToolContext withWorkingDir(Path dir) {
        return new ToolContext(dir, sessionId);
    }
}
