package dev.miu.studio.http;

import dev.miu.studio.StudioException;
import dev.miu.studio.session.SessionIds;
import jakarta.json.JsonObject;

/** The body of {@code /chat/invoke} and {@code /chat/stream}: {@code {session_id, message}}. */
record ChatRequest(String sessionId, String message) {

    static final String MESSAGE_REQUIRED = "Message is required";

    static ChatRequest from(JsonObject body) {
        String id = Fields.requiredString(body, "session_id", 100);
        String normalized = SessionIds.normalize(id);
        if (normalized == null) {
            throw StudioException.badRequest("Invalid session ID format");
        }
        return new ChatRequest(normalized, message(body));
    }

    /** The chat message: absent, null or blank is a 400 worded as the original miu's API had it. */
    static String message(JsonObject body) {
        String message = Fields.optionalString(body, "message", Integer.MAX_VALUE);
        if (message == null || message.isBlank()) {
            throw StudioException.badRequest(MESSAGE_REQUIRED);
        }
        return message;
    }
}
