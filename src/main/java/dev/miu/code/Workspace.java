package dev.miu.code;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The folder a coding agent may touch. Every path a tool receives goes through {@link #resolve}: it is taken
 * relative to the root (or as given when absolute), symlinks are followed, and anything that ends up outside
 * the root is refused, so {@code ..}, absolute paths and links pointing out cannot escape.
 *
 * @param root the workspace folder, absolute and with symlinks resolved
 */
public record Workspace(Path root) {

    public Workspace {
        try {
            root = root.toAbsolutePath().toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("Workspace folder does not exist: " + root);
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("Workspace is not a folder: " + root);
        }
    }

    public static Workspace of(Path root) {
        return new Workspace(root);
    }

    /**
     * The real location of {@code path} inside the workspace. The path need not exist (Write creates it): then
     * its deepest existing ancestor is resolved and the rest appended.
     *
     * @throws AccessDeniedException when the path leads outside the root or is not a valid path
     */
    public Path resolve(String path) {
        if (path == null || path.isBlank()) {
            throw new AccessDeniedException("Access denied: empty path");
        }
        Path candidate;
        try {
            candidate = root.resolve(path.strip()).normalize();
        } catch (InvalidPathException e) {
            throw new AccessDeniedException("Access denied: invalid path '" + path + "'");
        }
        Path existing = candidate;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        Path real;
        try {
            real = existing == null ? candidate : existing.toRealPath().resolve(existing.relativize(candidate));
        } catch (IOException e) {
            // a dangling symlink or an unreadable ancestor: refuse rather than guess where it points
            throw new AccessDeniedException("Access denied: cannot resolve '" + path + "' (" + e.getMessage() + ")");
        }
        real = real.normalize();
        if (!real.startsWith(root)) {
            throw new AccessDeniedException("Access denied: '" + path + "' is outside the workspace " + root);
        }
        return real;
    }

    /** How a path is shown to the model and the user: relative to the root, {@code .} for the root itself. */
    public String display(Path path) {
        Path rel = root.relativize(path);
        return rel.toString().isEmpty() ? "." : rel.toString().replace('\\', '/');
    }
}
