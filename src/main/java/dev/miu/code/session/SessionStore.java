package dev.miu.code.session;

import dev.miu.core.ConfigurationException;
import dev.miu.core.json.Json;
import dev.miu.core.message.Message;
import dev.miu.core.message.MessageJson;
import dev.miu.core.message.Role;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Sessions as JSON-lines files, one per session: a header line {@code {"type":"session",...}} and then one
 * {@code {"type":"message","message":{...}}} line per message, appended as turns complete. Appending means a
 * crash loses at most the turn in progress; a damaged line is skipped when reading, never fatal.
 */
public final class SessionStore {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    public SessionStore(Path dataDir) {
        this.dir = dataDir.resolve("code").resolve("sessions");
    }

    public Path dir() {
        return dir;
    }

    /** A new, sortable, unique session id such as {@code 20260101-120000-3fa2c1}. */
    public static String newId() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return ID_TIME.format(Instant.now()) + "-" + HexFormat.of().formatHex(b);
    }

    public static void validateId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new ConfigurationException("Invalid session id '" + id + "': use letters, digits, '-' and '_'");
        }
    }

    /** Starts a session file with its header. */
    public void create(String id, String workspace, String model) {
        validateId(id);
        JsonObject header = Json.object()
                .add("type", "session")
                .add("id", id)
                .add("created", Instant.now().toString())
                .add("workspace", workspace)
                .add("model", model)
                .build();
        write(file(id), Json.write(header) + "\n", StandardOpenOption.CREATE_NEW);
    }

    /** Appends messages to a session created before. */
    public void append(String id, List<Message> messages) {
        var lines = new StringBuilder();
        for (Message m : messages) {
            lines.append(Json.write(Json.object()
                            .add("type", "message")
                            .add("message", MessageJson.toJson(m))
                            .build()))
                    .append('\n');
        }
        write(file(id), lines.toString(), StandardOpenOption.APPEND);
    }

    public boolean exists(String id) {
        return ID.matcher(id).matches() && Files.isRegularFile(file(id));
    }

    /** Reads a session; an unknown id is a {@link ConfigurationException} naming where sessions live. */
    public StoredSession load(String id) {
        validateId(id);
        Path file = file(id);
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("No session '" + id + "' in " + dir + " (list them with /sessions)");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read session " + file, e);
        }
        JsonObject header = Json.EMPTY_OBJECT;
        List<Message> messages = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonObject o = Json.parse(line).asJsonObject();
                switch (Json.string(o, "type", "")) {
                    case "session" -> header = o;
                    case "message" -> messages.add(MessageJson.fromJson(o.getJsonObject("message")));
                    default -> {} // later versions may add line types; older readers skip them
                }
            } catch (RuntimeException e) {
                // a line cut short by a crash: skip it, keep the rest
            }
        }
        messages = complete(messages);
        Instant updated;
        try {
            updated = Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            updated = Instant.EPOCH;
        }
        var info = new SessionInfo(
                id,
                parseInstant(Json.string(header, "created", null), updated),
                updated,
                Json.string(header, "workspace", ""),
                Json.string(header, "model", ""),
                messages.size(),
                title(messages));
        return new StoredSession(info, messages);
    }

    /** Sessions newest first; only those of {@code workspace} when it is not null. */
    public List<SessionInfo> list(String workspace) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .map(p -> p.getFileName().toString().replaceFirst("\\.jsonl$", ""))
                    .filter(id -> ID.matcher(id).matches())
                    .map(id -> load(id).info())
                    .filter(info -> workspace == null || workspace.equals(info.workspace()))
                    .sorted(Comparator.comparing(SessionInfo::updated)
                            .thenComparing(SessionInfo::id)
                            .reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list sessions in " + dir, e);
        }
    }

    /** The most recently updated session of {@code workspace}, for {@code --continue}. */
    public Optional<SessionInfo> latest(String workspace) {
        return list(workspace).stream().findFirst();
    }

    /** Drops a trailing assistant turn whose tool calls never got results, so the history is valid to send. */
    private static List<Message> complete(List<Message> messages) {
        List<Message> out = new ArrayList<>(messages);
        while (!out.isEmpty()
                && (out.getLast().role() == Role.USER && !out.getLast().hasToolResults()
                        || out.getLast().role() == Role.ASSISTANT
                                && !out.getLast().toolUses().isEmpty())) {
            out.removeLast();
        }
        return out;
    }

    private static String title(List<Message> messages) {
        for (Message m : messages) {
            if (m.role() == Role.USER && !m.hasToolResults()) {
                String t = m.text().replaceAll("\\s+", " ").strip();
                return t.length() > 60 ? t.substring(0, 59) + "…" : t;
            }
        }
        return "";
    }

    private static Instant parseInstant(String s, Instant fallback) {
        try {
            return s == null ? fallback : Instant.parse(s);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private Path file(String id) {
        return dir.resolve(id + ".jsonl");
    }

    private void write(Path file, String text, StandardOpenOption mode) {
        try {
            Files.createDirectories(dir);
            Files.writeString(file, text, StandardCharsets.UTF_8, mode, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write session file " + file, e);
        }
    }
}
