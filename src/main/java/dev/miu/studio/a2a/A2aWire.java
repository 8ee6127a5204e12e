package dev.miu.studio.a2a;

import dev.miu.core.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of the A2A objects miu reads and writes, in 1.0's shapes (ProtoJSON: {@code ROLE_USER}, parts as
 * {@code {"text": ...}}, a stream response as {@code {"statusUpdate": ...}}) and 0.3's ({@code kind} fields,
 * {@code user}, {@code completed}).
 */
final class A2aWire {

    /** The one artifact a task produces: the agent's answer. */
    static final String ANSWER = "answer";

    static final int MAX_PARTS = 64;
    static final int MAX_ID = 200;

    private A2aWire() {}

    /** What a send-message request asks for. */
    record Send(TextMessage message, boolean returnImmediately, Integer historyLength) {}

    /**
     * The params of a send-message request: a user message of text and data parts.
     *
     * @throws A2aError invalid params naming the field, content type not supported for file parts, push
     *                  notifications not supported
     */
    static Send send(JsonObject params) {
        JsonObject message = object(params, "message");
        if (message == null) {
            throw A2aError.invalidParams("params.message is required");
        }
        String messageId = id(message, "messageId");
        if (messageId == null) {
            throw A2aError.invalidParams("params.message.messageId is required");
        }
        String role = string(message, "role");
        if (role == null || !(role.equals("ROLE_USER") || role.equals("user"))) {
            throw A2aError.invalidParams("params.message.role must be ROLE_USER (0.3: user), found " + role);
        }
        String text = text(message.get("parts"));
        JsonObject configuration = object(params, "configuration");
        boolean immediately = false;
        Integer history = null;
        if (configuration != null) {
            if (has(configuration, "taskPushNotificationConfig") || has(configuration, "pushNotificationConfig")) {
                throw new A2aError(A2aError.PUSH_NOT_SUPPORTED, "Push notifications are not supported");
            }
            immediately = configuration.getBoolean("returnImmediately", false)
                    || configuration.get("blocking") == JsonValue.FALSE; // 0.3's name for the opposite
            history = historyLength(configuration);
        }
        return new Send(
                new TextMessage(messageId, true, text, id(message, "contextId"), id(message, "taskId")),
                immediately,
                history);
    }

    /** The text of a message's parts, joined by blank lines; a data part counts as its JSON text. */
    private static String text(JsonValue parts) {
        if (!(parts instanceof JsonArray array) || array.isEmpty()) {
            throw A2aError.invalidParams("params.message.parts must be a non-empty array");
        }
        if (array.size() > MAX_PARTS) {
            throw A2aError.invalidParams("params.message.parts has more than " + MAX_PARTS + " parts");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof JsonObject part)) {
                throw A2aError.invalidParams("params.message.parts[" + i + "] must be an object");
            }
            if (part.get("text") instanceof JsonString s) {
                texts.add(s.getString());
            } else if (part.containsKey("data") && part.get("data") != JsonValue.NULL) {
                texts.add(Json.write(part.get("data")));
            } else if (has(part, "url") || has(part, "raw") || has(part, "file")) {
                throw new A2aError(
                        A2aError.CONTENT_TYPE_NOT_SUPPORTED,
                        "params.message.parts[" + i + "] is a file; miu agents take text and data parts");
            } else {
                throw A2aError.invalidParams("params.message.parts[" + i + "] has no text or data");
            }
        }
        String joined = String.join("\n\n", texts);
        if (joined.isBlank()) {
            throw A2aError.invalidParams("params.message has no text");
        }
        return joined;
    }

    /** The task id of get, cancel and subscribe params. */
    static String taskId(JsonObject params) {
        String id = id(params, "id");
        if (id == null) {
            throw A2aError.invalidParams("params.id (the task's id) is required");
        }
        return id;
    }

    static Integer historyLength(JsonObject o) {
        JsonValue v = o.get("historyLength");
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (!(v instanceof jakarta.json.JsonNumber n) || !n.isIntegral() || n.longValue() < 0) {
            throw A2aError.invalidParams("historyLength must be a whole number, 0 or more");
        }
        return (int) Math.min(n.longValue(), Integer.MAX_VALUE);
    }

    // --- writing ---

    /** The task as {@code version} shows it; {@code historyLength} null: all of its (one-message) history. */
    static JsonObject task(A2aTask.View t, Version version, Integer historyLength) {
        JsonObjectBuilder o = Json.object();
        if (version == Version.V03) {
            o.add("kind", "task");
        }
        o.add("id", t.id()).add("contextId", t.contextId()).add("status", status(t, version));
        if (t.answer() != null) {
            o.add("artifacts", Json.array().add(artifact(t.answer(), version)));
        }
        if (historyLength == null || historyLength > 0) {
            o.add("history", Json.array().add(message(t.request(), t.id(), version)));
        }
        return o.build();
    }

    private static JsonObject status(A2aTask.View t, Version version) {
        return status(t.id(), t.contextId(), t.state(), t.statusMessage(), t.timestamp(), version);
    }

    private static JsonObject status(
            String taskId, String contextId, TaskState state, String text, java.time.Instant at, Version version) {
        JsonObjectBuilder o = Json.object().add("state", version == Version.V1 ? state.v1() : state.v03());
        if (text != null) {
            o.add(
                    "message",
                    message(
                            new TextMessage(java.util.UUID.randomUUID().toString(), false, text, contextId, taskId),
                            taskId,
                            version));
        }
        return o.add(
                        "timestamp",
                        at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString())
                .build();
    }

    static JsonObject message(TextMessage m, String taskId, Version version) {
        JsonObjectBuilder o = Json.object();
        if (version == Version.V03) {
            o.add("kind", "message");
        }
        o.add("messageId", m.messageId());
        if (m.contextId() != null) {
            o.add("contextId", m.contextId());
        }
        if (taskId != null) {
            o.add("taskId", taskId);
        }
        String role = m.fromUser()
                ? (version == Version.V1 ? "ROLE_USER" : "user")
                : (version == Version.V1 ? "ROLE_AGENT" : "agent");
        return o.add("role", role).add("parts", parts(m.text(), version)).build();
    }

    private static JsonObject artifact(String text, Version version) {
        return Json.object()
                .add("artifactId", ANSWER)
                .add("name", ANSWER)
                .add("parts", parts(text, version))
                .build();
    }

    private static JsonArray parts(String text, Version version) {
        JsonObjectBuilder part = Json.object();
        if (version == Version.V03) {
            part.add("kind", "text");
        }
        return Json.array().add(part.add("text", text)).build();
    }

    /** The result of a send-message call: 1.0 wraps the task ({@code {"task": ...}}), 0.3 does not. */
    static JsonObject sendResult(A2aTask.View t, Version version, Integer historyLength) {
        JsonObject task = task(t, version, historyLength);
        return version == Version.V1 ? Json.object().add("task", task).build() : task;
    }

    /** The first stream response: the task as it is. */
    static JsonObject streamTask(A2aTask.View t, Version version) {
        return sendResult(t, version, null);
    }

    /** One stream response for an update of task {@code t}. */
    static JsonObject streamUpdate(A2aTask.View t, TaskUpdate update, Version version) {
        return switch (update) {
            case TaskUpdate.Status s -> {
                JsonObjectBuilder o = Json.object()
                        .add("taskId", t.id())
                        .add("contextId", t.contextId())
                        .add("status", status(t.id(), t.contextId(), s.state(), s.message(), s.timestamp(), version));
                yield version == Version.V1
                        ? Json.object().add("statusUpdate", o).build()
                        : o.add("kind", "status-update")
                                .add("final", s.state().settled())
                                .build();
            }
            case TaskUpdate.Artifact a -> {
                JsonObjectBuilder o = Json.object()
                        .add("taskId", t.id())
                        .add("contextId", t.contextId())
                        .add("artifact", artifact(a.text(), version))
                        .add("append", a.append())
                        .add("lastChunk", a.last());
                yield version == Version.V1
                        ? Json.object().add("artifactUpdate", o).build()
                        : o.add("kind", "artifact-update").build();
            }
        };
    }

    // --- reading helpers ---

    static JsonObject object(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (!(v instanceof JsonObject object)) {
            throw A2aError.invalidParams(key + " must be an object");
        }
        return object;
    }

    private static String string(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (!(v instanceof JsonString s)) {
            throw A2aError.invalidParams(key + " must be a string");
        }
        return s.getString();
    }

    /** An id field: a non-blank string of at most {@value #MAX_ID} characters, or null when absent or empty. */
    private static String id(JsonObject o, String key) {
        String s = string(o, key);
        if (s == null || s.isBlank()) {
            return null;
        }
        if (s.length() > MAX_ID) {
            throw A2aError.invalidParams(key + " is longer than " + MAX_ID + " characters");
        }
        return s.strip();
    }

    private static boolean has(JsonObject o, String key) {
        return o.containsKey(key) && o.get(key) != JsonValue.NULL;
    }
}
