package dev.miu.studio.openai;

import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@code POST /v1/chat/completions} body, checked: every problem is a 400 naming the field. The messages become
 * miu's conversation: system and developer messages join into one system text, an assistant's {@code tool_calls}
 * become tool-use blocks and {@code tool} messages their results. Fields miu has no use for ({@code tools},
 * {@code response_format}, {@code user}, …) are ignored; {@code n} above 1 is refused, as only one answer is made.
 *
 * @param system       the request's system and developer text, joined, or null
 * @param lastUserText the text of the last message when it is a user's (what a session-bound turn takes), else null
 * @param maxTokens    {@code max_completion_tokens}, else {@code max_tokens}, else null
 */
record CompletionRequest(
        String model,
        List<Message> conversation,
        String system,
        String lastUserText,
        Integer maxTokens,
        Double temperature,
        boolean stream,
        boolean includeUsage) {

    /** More messages than this in one request are refused: a long conversation belongs in a session. */
    static final int MAX_MESSAGES = 1000;

    private static final int MAX_MODEL_LENGTH = 200;

    static CompletionRequest parse(JsonObject body) {
        String model = string(body, "model");
        if (model == null || model.isBlank()) {
            throw OpenAiError.badRequest("'model' is required: the name of a miu agent (GET /v1/models lists them)");
        }
        if (model.length() > MAX_MODEL_LENGTH) {
            throw OpenAiError.badRequest("'model' is longer than " + MAX_MODEL_LENGTH + " characters");
        }
        JsonValue n = body.get("n");
        if (n != null
                && n.getValueType() != JsonValue.ValueType.NULL
                && !(n instanceof JsonNumber num && num.isIntegral() && num.longValue() == 1)) {
            throw OpenAiError.badRequest("'n' must be 1: a miu agent gives one answer per request");
        }
        Integer maxTokens = positiveInt(body, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = positiveInt(body, "max_tokens");
        }
        Double temperature = null;
        JsonValue t = body.get("temperature");
        if (t != null && t.getValueType() != JsonValue.ValueType.NULL) {
            if (!(t instanceof JsonNumber tn) || tn.doubleValue() < 0 || tn.doubleValue() > 2) {
                throw OpenAiError.badRequest("'temperature' must be a number from 0 to 2");
            }
            temperature = tn.doubleValue();
        }
        boolean stream = bool(body, "stream");
        JsonValue options = body.get("stream_options");
        boolean includeUsage = false;
        if (options != null && options.getValueType() != JsonValue.ValueType.NULL) {
            if (!(options instanceof JsonObject o)) {
                throw OpenAiError.badRequest("'stream_options' must be an object");
            }
            includeUsage = bool(o, "include_usage");
        }
        JsonValue m = body.get("messages");
        if (!(m instanceof JsonArray messages) || messages.isEmpty()) {
            throw OpenAiError.badRequest("'messages' must be a non-empty array");
        }
        if (messages.size() > MAX_MESSAGES) {
            throw OpenAiError.badRequest("'messages' has " + messages.size() + " messages; at most " + MAX_MESSAGES
                    + " are accepted (keep a long conversation in a miu session: X-Miu-Session-Id)");
        }
        var conversation = new Conversation();
        for (int i = 0; i < messages.size(); i++) {
            if (!(messages.get(i) instanceof JsonObject message)) {
                throw OpenAiError.badRequest("messages[" + i + "] must be an object");
            }
            conversation.add(i, message);
        }
        List<Message> turns = conversation.finish();
        JsonObject last = messages.getJsonObject(messages.size() - 1);
        String lastUserText = "user".equals(string(last, "role")) ? text(last, messages.size() - 1, true) : null;
        return new CompletionRequest(
                model, turns, conversation.system(), lastUserText, maxTokens, temperature, stream, includeUsage);
    }

    /** Builds the miu conversation message by message, pairing tool calls with their results. */
    private static final class Conversation {
        private final List<Message> turns = new ArrayList<>();
        private final StringBuilder system = new StringBuilder();
        private final List<ContentBlock.ToolResult> results = new ArrayList<>();
        /** The latest assistant message's calls that have no result yet. */
        private final Set<String> open = new LinkedHashSet<>();

        void add(int i, JsonObject message) {
            String role = string(message, "role");
            if (role == null) {
                throw OpenAiError.badRequest("messages[" + i + "].role is required");
            }
            switch (role) {
                case "system", "developer" -> {
                    String text = text(message, i, false);
                    if (!text.isBlank()) {
                        system.append(system.isEmpty() ? "" : "\n\n").append(text);
                    }
                }
                case "user" -> {
                    closeToolTurn(i);
                    String text = text(message, i, true);
                    if (text.isEmpty()) {
                        throw OpenAiError.badRequest("messages[" + i + "] (user) has no text");
                    }
                    turns.add(Message.user(text));
                }
                case "assistant" -> {
                    closeToolTurn(i);
                    assistant(i, message);
                }
                case "tool" -> {
                    String id = string(message, "tool_call_id");
                    if (id == null || !open.remove(id)) {
                        throw OpenAiError.badRequest("messages[" + i + "] (tool): tool_call_id "
                                + (id == null
                                        ? "is required"
                                        : "'" + id + "' answers no open call of the assistant message before it"));
                    }
                    results.add(new ContentBlock.ToolResult(id, text(message, i, false), false));
                }
                default ->
                    throw OpenAiError.badRequest("messages[" + i + "].role '" + role
                            + "' is not supported (system, developer, user, assistant, tool)");
            }
        }

        private void assistant(int i, JsonObject message) {
            List<ContentBlock> content = new ArrayList<>();
            String text = text(message, i, false);
            if (!text.isEmpty()) {
                content.add(new ContentBlock.Text(text));
            }
            JsonValue calls = message.get("tool_calls");
            if (calls instanceof JsonArray array) {
                for (int c = 0; c < array.size(); c++) {
                    String where = "messages[" + i + "].tool_calls[" + c + "]";
                    if (!(array.get(c) instanceof JsonObject call)
                            || !(call.get("function") instanceof JsonObject fn)) {
                        throw OpenAiError.badRequest(where + " must be an object with a 'function'");
                    }
                    String id = string(call, "id");
                    String name = string(fn, "name");
                    if (id == null || name == null) {
                        throw OpenAiError.badRequest(where + " needs an 'id' and a function 'name'");
                    }
                    String args = string(fn, "arguments");
                    JsonObject input;
                    try {
                        input = args == null || args.isBlank() ? Json.EMPTY_OBJECT : Json.parseObject(args);
                    } catch (RuntimeException e) {
                        throw OpenAiError.badRequest(where + ".function.arguments is not a JSON object");
                    }
                    content.add(new ContentBlock.ToolUse(id, name, input));
                    open.add(id);
                }
            } else if (calls != null && calls.getValueType() != JsonValue.ValueType.NULL) {
                throw OpenAiError.badRequest("messages[" + i + "].tool_calls must be an array");
            }
            if (!content.isEmpty()) { // an empty assistant message says nothing a model could use
                turns.add(new Message(Role.ASSISTANT, content));
            }
        }

        /** The tool messages after an assistant's calls end here: every call must have had its result. */
        private void closeToolTurn(int i) {
            if (!open.isEmpty()) {
                throw OpenAiError.badRequest("messages[" + i + "]: the assistant's tool call "
                        + open.iterator().next() + " has no tool message answering it");
            }
            if (!results.isEmpty()) {
                turns.add(Message.toolResults(results));
                results.clear();
            }
        }

        List<Message> finish() {
            if (!open.isEmpty()) {
                throw OpenAiError.badRequest("The conversation ends before the assistant's tool call "
                        + open.iterator().next() + " has its tool message");
            }
            closeToolTurn(turns.size());
            if (turns.isEmpty() || turns.getLast().role() != Role.USER) {
                throw OpenAiError.badRequest(
                        "The last message must be a user's (or tool results): it is what the" + " agent answers");
            }
            return List.copyOf(turns);
        }

        String system() {
            return system.isEmpty() ? null : system.toString();
        }
    }

    /**
     * A message's {@code content}: a string, null, or content parts of which only text ones are accepted
     * ({@code refusal} ones too for an assistant), joined.
     */
    private static String text(JsonObject message, int i, boolean user) {
        JsonValue content = message.get("content");
        if (content == null || content.getValueType() == JsonValue.ValueType.NULL) {
            return "";
        }
        if (content instanceof JsonString s) {
            return s.getString();
        }
        if (!(content instanceof JsonArray parts)) {
            throw OpenAiError.badRequest("messages[" + i + "].content must be a string or an array of content parts");
        }
        var text = new StringBuilder();
        for (JsonValue p : parts) {
            String type = p instanceof JsonObject o ? string(o, "type") : null;
            if ("text".equals(type) || (!user && "refusal".equals(type))) {
                String piece = string((JsonObject) p, type);
                text.append(piece == null ? "" : piece);
            } else {
                throw OpenAiError.badRequest("messages[" + i + "].content: only text parts are supported"
                        + (type == null ? "" : ", not '" + type + "'"));
            }
        }
        return text.toString();
    }

    private static String string(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(v instanceof JsonString s)) {
            throw OpenAiError.badRequest("'" + key + "' must be a string");
        }
        return s.getString();
    }

    private static boolean bool(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return false;
        }
        if (v.getValueType() != JsonValue.ValueType.TRUE && v.getValueType() != JsonValue.ValueType.FALSE) {
            throw OpenAiError.badRequest("'" + key + "' must be true or false");
        }
        return v.getValueType() == JsonValue.ValueType.TRUE;
    }

    private static Integer positiveInt(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(v instanceof JsonNumber num)
                || !num.isIntegral()
                || num.longValue() < 1
                || num.longValue() > Integer.MAX_VALUE) {
            throw OpenAiError.badRequest("'" + key + "' must be a positive integer");
        }
        return num.intValue();
    }
}
