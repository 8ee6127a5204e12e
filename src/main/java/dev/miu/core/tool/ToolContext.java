package dev.miu.core.tool;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a tool call runs: the working directory it is confined to and the session it belongs to
 * ({@code null} outside a session).
 */
public record ToolContext(Path workingDir, String sessionId) {
    public ToolContext {
        Objects.requireNonNull(workingDir, "workingDir");
    }

    public static ToolContext current() {
        return new ToolContext(Path.of("").toAbsolutePath(), null);
    }

    public ToolContext withSessionId(String id) {
        return new ToolContext(workingDir, id);
    }

    /** This context confined to another folder: how a declared agent's coding tools work in its own workspace. */
    public ToolContext withWorkingDir(Path dir) {
        return new ToolContext(dir, sessionId);
    }
}
