package dev.miu.studio.http;

import dev.miu.core.json.Json;
import dev.miu.studio.StudioException;
import dev.miu.studio.chat.ChatEvent;
import dev.miu.studio.chat.ChatRunner;
import dev.miu.studio.chat.ChatTurn;
import dev.miu.studio.chat.TurnResult;
import io.helidon.http.HeaderNames;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;

import java.util.function.Consumer;

/**
 * {@code /chat}: one turn on a session, answered whole ({@code /invoke}) or streamed as server-sent events
 * ({@code /stream}, one {@code data: {json}} frame per {@link ChatEvent}). Problems found before the stream opens
 * (bad body, unknown session, a turn already running) are plain HTTP errors; later ones are an {@code error} event.
 */
public final class ChatService implements HttpService {

    private static final System.Logger LOG = System.getLogger(ChatService.class.getName());

    private final ChatRunner chat;
    private final long maxBodyBytes;

    public ChatService(ChatRunner chat, long maxBodyBytes) {
        this.chat = chat;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/chat/invoke", this::invoke)
                .post("/chat/stream", this::stream);
    }

    private void invoke(ServerRequest req, ServerResponse res) {
        ChatRequest body = ChatRequest.from(HttpJson.readObject(req, maxBodyBytes));
        TurnResult result;
        try (ChatTurn turn = chat.begin(body.sessionId())) {
            result = chat.run(turn, body.message(), event -> { });
        }
        HttpJson.send(res, result.toJson());
    }

    private void stream(ServerRequest req, ServerResponse res) {
        ChatRequest body = ChatRequest.from(HttpJson.readObject(req, maxBodyBytes));
        ChatTurn turn = chat.begin(body.sessionId()); // 404 and 409 are still plain HTTP answers
        SseEvents events;
        ChatEvent failure = null;
        try (turn) {
            res.header(HeaderNames.CACHE_CONTROL, "no-cache");
            res.header(HeaderNames.create("X-Accel-Buffering"), "no"); // tells proxies not to buffer the stream
            events = new SseEvents(res.sink(SseSink.TYPE), turn);
            try {
                chat.run(turn, body.message(), events);
            } catch (StudioException e) {
                failure = new ChatEvent.Error(e.detail());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "Chat turn failed on session " + body.sessionId(), e);
                failure = new ChatEvent.Error(Errors.hiddenDetail(e)); // the log above has the message
            }
        }
        if (failure != null) {
            events.accept(failure); // sent once the session is free again, as done is
        }
        events.close();
    }

    /** Writes events to the SSE stream; once the client has gone, cancels the turn and drops the rest. */
    private static final class SseEvents implements Consumer<ChatEvent> {

        private final SseSink sink;
        private final ChatTurn turn;
        private boolean clientGone;

        SseEvents(SseSink sink, ChatTurn turn) {
            this.sink = sink;
            this.turn = turn;
        }

        @Override
        public void accept(ChatEvent event) {
            if (clientGone) {
                return;
            }
            try {
                // Helidon writes "data:" + data; the leading space gives the usual "data: {json}" (parsers drop one space)
                sink.emit(SseEvent.create(" " + Json.write(event.toJson())));
            } catch (RuntimeException e) {
                clientGone = true;
                turn.cancel();
            }
        }

        /** Ends the stream; if the client has already gone there is nothing left to close cleanly. */
        void close() {
            try {
                sink.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "SSE client gone before the stream ended", e);
            }
        }
    }
}
