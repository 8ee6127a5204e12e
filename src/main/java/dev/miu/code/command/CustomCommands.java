package dev.miu.code.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads custom commands from {@code .miu/commands/*.md} of a workspace, afresh on every use so edits show at once. */
public final class CustomCommands {

    private final Path dir;

    public CustomCommands(Path workspaceRoot) {
        this.dir = workspaceRoot.resolve(".miu").resolve("commands");
    }

    public List<CustomCommand> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<CustomCommand> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String file = f.getFileName().toString();
                if (file.endsWith(".md") && Files.isRegularFile(f)) {
                    String name = file.substring(0, file.length() - 3);
                    if (name.matches("[A-Za-z0-9_-]+")) {
                        read(name, f).ifPresent(out::add);
                    }
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(Comparator.comparing(CustomCommand::name));
        return out;
    }

    public Optional<CustomCommand> find(String name) {
        return list().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private static Optional<CustomCommand> read(String name, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        String description = null;
        String body = text;
        if (text.startsWith("---\n") || text.startsWith("---\r\n")) {
            int end = text.indexOf("\n---", 3);
            if (end > 0) {
                for (String line : text.substring(4, end).split("\\R")) {
                    if (line.strip().startsWith("description:")) {
                        description =
                                line.strip().substring("description:".length()).strip();
                    }
                }
                int bodyStart = text.indexOf('\n', end + 4);
                body = bodyStart < 0 ? "" : text.substring(bodyStart + 1);
            }
        }
        body = body.strip();
        if (description == null || description.isEmpty()) {
            String first = body.lines().findFirst().orElse("").strip();
            description = first.length() > 60 ? first.substring(0, 59) + "…" : first;
        }
        return Optional.of(new CustomCommand(name, description, body));
    }
}
