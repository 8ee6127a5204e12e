package dev.miu.studio.openai;

import dev.miu.core.json.Json;
import dev.miu.core.message.Usage;
import dev.miu.studio.chat.ChatTurn;
import dev.miu.studio.http.ClientWatch;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A streamed answer: {@code chat.completion.chunk} events (the role first, then text deltas, then the finish reason,
 * then the usage when asked for), ending with {@code data: [DONE]}; a failure after the stream opened is a
 * {@code data: {"error": ...}} event, which the OpenAI SDKs raise. Once the client has gone, its turn is cancelled
 * and nothing more is written. Written to the response's stream directly rather than through Helidon's SSE sink,
 * which refuses requests whose {@code Accept} does not name {@code text/event-stream} (the npm SDK sends
 * {@code application/json}).
 */
final class ChunkStream {

    private static final System.Logger LOG = System.getLogger(ChunkStream.class.getName());

    private final OutputStream out;
    private final ClientWatch.Watched client;
    private final ChatTurn turn;
    private final String id;
    private final long created;
    private final String model;
    private final boolean includeUsage;
    private boolean gone;

    ChunkStream(
            OutputStream out,
            ClientWatch.Watched client,
            ChatTurn turn,
            String id,
            long created,
            String model,
            boolean includeUsage) {
        this.out = out;
        this.client = client;
        this.turn = turn;
        this.id = id;
        this.created = created;
        this.model = model;
        this.includeUsage = includeUsage;
    }

    void start() {
        chunk(Json.object().add("role", "assistant").add("content", ""), null);
    }

    void content(String piece) {
        chunk(Json.object().add("content", piece), null);
    }

    /** The last chunk of the choice, then the usage chunk (no choices) when the request asked for it. */
    void finish(String finishReason, Usage usage) {
        chunk(Json.object(), finishReason);
        if (includeUsage) {
            write(base().add("choices", Json.array())
                    .add("usage", Answer.usage(usage))
                    .build());
        }
        emit("[DONE]");
    }

    void error(OpenAiError error) {
        write(error.toJson());
    }

    private void chunk(JsonObjectBuilder delta, String finishReason) {
        JsonObjectBuilder choice = Json.object()
                .add("index", 0)
                .add("delta", delta)
                .add("logprobs", JsonValue.NULL)
                .add("finish_reason", finishReason == null ? JsonValue.NULL : Json.string(finishReason));
        JsonObjectBuilder chunk = base().add("choices", Json.array().add(choice));
        if (includeUsage) {
            chunk.add("usage", JsonValue.NULL); // as OpenAI does: only the last chunk carries it
        }
        write(chunk.build());
    }

    private JsonObjectBuilder base() {
        return Json.object()
                .add("id", id)
                .add("object", "chat.completion.chunk")
                .add("created", created)
                .add("model", model)
                .add("system_fingerprint", JsonValue.NULL);
    }

    private void write(JsonObject event) {
        emit(Json.write(event));
    }

    private void emit(String data) {
        if (gone || client.clientGone()) {
            return;
        }
        try {
            byte[] frame = ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
            client.write(() -> {
                try {
                    out.write(frame);
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (RuntimeException e) {
            gone = true;
            turn.cancel();
        }
    }

    /** Ends the stream; when the client has gone there is nothing left to close cleanly. */
    void close() {
        if (gone || client.clientGone()) {
            return;
        }
        try {
            client.write(() -> {
                try {
                    out.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "OpenAI stream client gone before the stream ended", e);
        }
    }
}
