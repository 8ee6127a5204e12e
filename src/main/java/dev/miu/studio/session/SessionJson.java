package dev.miu.studio.session;

import dev.miu.core.json.Json;
import dev.miu.core.message.Message;
import dev.miu.core.message.MessageJson;
import dev.miu.core.message.Usage;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON shapes of sessions, as the original miu studio API had them: a session is
 * {@code {id,name,model,system_prompt,created_at,updated_at,messages}}, a summary
 * {@code {id,name,model,created_at,updated_at,message_count}}. Files use the session shape plus a version.
 */
public final class SessionJson {

    static final int FILE_VERSION = 1;

    private SessionJson() {
    }

    public static JsonObject toJson(Session s) {
        return settings(s)
                .add("messages", MessageJson.toJson(s.messages()))
                .add("usage", usageJson(s.usage()))
                .build();
    }

    /** Token counts in the shape chat responses use. */
    public static JsonObject usageJson(Usage u) {
        return Json.object()
                .add("input_tokens", u.inputTokens())
                .add("output_tokens", u.outputTokens())
                .add("cache_read_tokens", u.cacheReadTokens())
                .add("cache_write_tokens", u.cacheWriteTokens())
                .add("total_tokens", u.totalTokens())
                .build();
    }

    private static Usage usageFromJson(JsonObject u) {
        if (u == null) {
            return Usage.ZERO; // files written before usage was kept
        }
        return new Usage(Json.number(u, "input_tokens", 0), Json.number(u, "output_tokens", 0),
                Json.number(u, "cache_read_tokens", 0), Json.number(u, "cache_write_tokens", 0));
    }

    public static JsonObject toJson(SessionSummary s) {
        return base(s.id(), s.name(), s.model(), s.createdAt(), s.updatedAt())
                .add("message_count", s.messageCount())
                .build();
    }

    /**
     * A session's file JSON as text, with the JSON of each of its messages, so the next write of the session can
     * reuse them.
     */
    record FileText(String text, List<Message> messages, List<String> messageJson) {
    }

    /**
     * The session's {@linkplain #toJson(Session) JSON} plus its file version ({@code messages} last), reusing the
     * JSON of the messages {@code before} already wrote: a turn serializes its own messages, not the whole history
     * again. Messages are immutable, so the same instance at the same position has the same JSON.
     */
    static FileText toFileText(Session s, FileText before) {
        List<Message> messages = s.messages();
        List<String> messageJson = new ArrayList<>(messages.size());
        int reused = 0;
        if (before != null) {
            int common = Math.min(before.messages().size(), messages.size());
            while (reused < common && before.messages().get(reused) == messages.get(reused)) {
                messageJson.add(before.messageJson().get(reused));
                reused++;
            }
        }
        for (int i = reused; i < messages.size(); i++) {
            messageJson.add(Json.write(MessageJson.toJson(messages.get(i))));
        }
        String head = Json.write(settings(s)
                .add("usage", usageJson(s.usage()))
                .add("version", FILE_VERSION)
                .build());
        int length = head.length() + 16;
        for (String m : messageJson) {
            length += m.length() + 1;
        }
        StringBuilder text = new StringBuilder(length);
        text.append(head, 0, head.length() - 1).append(",\"messages\":[");
        for (int i = 0; i < messageJson.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(messageJson.get(i));
        }
        text.append("]}");
        return new FileText(text.toString(), messages, messageJson);
    }

    /** Reads a stored session; anything malformed is an {@link IllegalArgumentException} naming what. */
    static Session fromFile(JsonObject o) {
        int version = (int) Json.number(o, "version", -1);
        if (version != FILE_VERSION) {
            throw new IllegalArgumentException("unsupported session file version " + version);
        }
        JsonArray messages = Json.array(o, "messages");
        if (messages == null) {
            throw new IllegalArgumentException("missing 'messages' array");
        }
        return new Session(required(o, "id"), required(o, "name"), Json.string(o, "model", null),
                Json.string(o, "system_prompt", null), instant(o, "created_at"), instant(o, "updated_at"),
                MessageJson.fromJson(messages), usageFromJson(Json.object(o, "usage")));
    }

    /** A session's fields but its messages and usage. */
    private static JsonObjectBuilder settings(Session s) {
        return base(s.id(), s.name(), s.model(), s.createdAt(), s.updatedAt())
                .add("system_prompt", nullable(s.systemPrompt()));
    }

    private static JsonObjectBuilder base(String id, String name, String model, Instant created, Instant updated) {
        return Json.object()
                .add("id", id)
                .add("name", name)
                .add("model", nullable(model))
                .add("created_at", created.toString())
                .add("updated_at", updated.toString());
    }

    private static JsonValue nullable(String s) {
        return s == null ? JsonValue.NULL : Json.string(s);
    }

    private static String required(JsonObject o, String key) {
        String s = Json.string(o, key, null);
        if (s == null) {
            throw new IllegalArgumentException("missing string '" + key + "'");
        }
        return s;
    }

    private static Instant instant(JsonObject o, String key) {
        try {
            return Instant.parse(required(o, key));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + key + "' is not an ISO-8601 instant");
        }
    }
}
