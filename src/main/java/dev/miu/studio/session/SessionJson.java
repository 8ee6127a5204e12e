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
 * The JSON shapes of sessions, as the original miu studio API had them plus the session's {@code agent}: a session is
 * {@code {id,name,agent,model,system_prompt,created_at,updated_at,messages}}, a summary
 * {@code {id,name,agent,model,created_at,updated_at,message_count}}. Files use the session shape plus a version; a
 * file without {@code agent} (written before agents were named) reads as a session on the default agent.
 */
public final class SessionJson {

    static final int FILE_VERSION = 1;

    private SessionJson() {}

    public static JsonObject toJson(Session s) {
        return settings(s)
                .add("messages", MessageJson.toJson(s.messages()))
                .add("usage", usageJson(s.usage()))
                .build();
    }

    /**
     * The session as the API shows it: {@link #toJson(Session)} plus the calls that wait ({@code pending_approvals})
     * and those decided before, with the decision, its time and reason ({@code approvals_audit}).
     */
    public static JsonObject toApiJson(Session s) {
        var o = Json.object();
        toJson(s).forEach(o::add);
        return o.add("pending_approvals", s.approvals().pendingJson())
                .add("approvals_audit", s.approvals().auditJson())
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
        return new Usage(
                Json.number(u, "input_tokens", 0),
                Json.number(u, "output_tokens", 0),
                Json.number(u, "cache_read_tokens", 0),
                Json.number(u, "cache_write_tokens", 0));
    }

    public static JsonObject toJson(SessionSummary s) {
        return base(s.id(), s.name(), s.agent(), s.model(), s.createdAt(), s.updatedAt())
                .add("message_count", s.messageCount())
                .build();
    }

    /**
     * A session as it was last journaled, with the JSON of its messages serialized so far. Each message is
     * serialized once, when a journal record or the file first needs it, and reused by later writes of the session:
     * messages are immutable, so the same instance at the same position has the same JSON.
     */
    static final class Written {
        private final Session session;
        /** Null until needed; two threads filling one store equal strings. */
        private final String[] messageJson;
        /** How many leading messages this session shares (the same instances) with the write it was made from. */
        private final int shared;

        private final int sharedOf;

        private Written(Session session, String[] messageJson, int shared, int sharedOf) {
            this.session = session;
            this.messageJson = messageJson;
            this.shared = shared;
            this.sharedOf = sharedOf;
        }

        Session session() {
            return session;
        }

        String messageJson(int i) {
            String json = messageJson[i];
            if (json == null) {
                json = Json.write(MessageJson.toJson(session.messages().get(i)));
                messageJson[i] = json;
            }
            return json;
        }

        /**
         * Where this session's new messages start when it only appended to the write it was made from (it keeps
         * every message of that one, the same instances, in order), else -1.
         */
        int appendedFrom() {
            return shared == sharedOf ? shared : -1;
        }

        /** The same session without the JSON kept: what a session whose file is up to date keeps in memory. */
        Written withoutJson() {
            return new Written(session, new String[messageJson.length], 0, -1);
        }
    }

    /** {@code s} as written after {@code before} (null if none is known), reusing the JSON of the messages they share. */
    static Written written(Session s, Written before) {
        List<Message> messages = s.messages();
        String[] json = new String[messages.size()];
        int shared = 0;
        if (before != null) {
            List<Message> earlier = before.session().messages();
            int common = Math.min(earlier.size(), messages.size());
            while (shared < common && earlier.get(shared) == messages.get(shared)) {
                json[shared] = before.messageJson[shared];
                shared++;
            }
        }
        return new Written(
                s,
                json,
                shared,
                before == null ? -1 : before.session().messages().size());
    }

    /** The session's {@linkplain #toJson(Session) JSON} plus its file version, {@code messages} last. */
    static String fileText(Written w) {
        return withMessages(head(w.session()), w, 0);
    }

    /**
     * A journal record of the messages {@code w} appended from index {@code from} on, with the session's other
     * fields: {@code {"from":N,"head":{...},"messages":[...]}}. {@link Rebuilt#append} applies it.
     */
    static String appendText(Written w, int from) {
        String head = head(w.session());
        StringBuilder text = new StringBuilder(head.length() + 64);
        text.append("{\"from\":").append(from).append(",\"head\":").append(head).append('}');
        return withMessages(text.toString(), w, from);
    }

    /** The session's fields but its messages, with its usage and the file version. */
    private static String head(Session s) {
        var head = settings(s).add("usage", usageJson(s.usage()));
        if (!s.approvals().equals(SessionApprovals.NONE)) {
            head.add("approvals", s.approvals().toJson()); // absent for the sessions that never paused
        }
        return Json.write(head.add("version", FILE_VERSION).build());
    }

    /** {@code object} (JSON text of an object) with a last field {@code messages}: {@code w}'s messages from {@code from}. */
    private static String withMessages(String object, Written w, int from) {
        int count = w.session().messages().size();
        int length = object.length() + 16;
        for (int i = from; i < count; i++) {
            length += w.messageJson(i).length() + 1;
        }
        StringBuilder text = new StringBuilder(length);
        text.append(object, 0, object.length() - 1).append(",\"messages\":["); // object is never {}
        for (int i = from; i < count; i++) {
            if (i > from) {
                text.append(',');
            }
            text.append(w.messageJson(i));
        }
        return text.append("]}").toString();
    }

    /**
     * A session rebuilt from journal records at a restart: a whole file JSON, then the records that appended to
     * it. Each append must start where the session ends, or it does not belong to this state of the session.
     */
    static final class Rebuilt {
        private JsonObject head;
        private final List<JsonValue> messages;

        /** @throws IllegalArgumentException when {@code fileJson} is not a session file's JSON */
        Rebuilt(String fileJson) {
            JsonObject o = Json.parseObject(fileJson);
            JsonArray array = Json.array(o, "messages");
            if (array == null) {
                throw new IllegalArgumentException("missing 'messages' array");
            }
            this.head = o;
            this.messages = new ArrayList<>(array);
        }

        /**
         * Applies a record made by {@link #appendText}; false (and nothing changed) when it does not start where
         * this session ends or is malformed.
         */
        boolean append(String appendJson) {
            JsonObject record;
            try {
                record = Json.parseObject(appendJson);
            } catch (IllegalArgumentException e) {
                return false;
            }
            JsonObject newHead = Json.object(record, "head");
            JsonArray more = Json.array(record, "messages");
            if (newHead == null || more == null || Json.number(record, "from", -1) != messages.size()) {
                return false;
            }
            head = newHead;
            messages.addAll(more);
            return true;
        }

        /** The session's file JSON. */
        String fileText() {
            var o = Json.object();
            head.forEach((key, value) -> {
                if (!key.equals("messages")) {
                    o.add(key, value);
                }
            });
            var array = Json.array();
            messages.forEach(array::add);
            return Json.write(o.add("messages", array).build());
        }
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
        return new Session(
                required(o, "id"),
                required(o, "name"),
                Json.string(o, "model", null),
                Json.string(o, "system_prompt", null),
                instant(o, "created_at"),
                instant(o, "updated_at"),
                MessageJson.fromJson(messages),
                usageFromJson(Json.object(o, "usage")),
                Json.string(o, "agent", null),
                SessionApprovals.fromJson(Json.object(o, "approvals")));
    }

    /** A session's fields but its messages and usage. */
    private static JsonObjectBuilder settings(Session s) {
        return base(s.id(), s.name(), s.agent(), s.model(), s.createdAt(), s.updatedAt())
                .add("system_prompt", nullable(s.systemPrompt()));
    }

    private static JsonObjectBuilder base(
            String id, String name, String agent, String model, Instant created, Instant updated) {
        return Json.object()
                .add("id", id)
                .add("name", name)
                .add("agent", nullable(agent))
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
