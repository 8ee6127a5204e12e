package dev.miu.studio.http;

import dev.miu.core.json.Json;
import dev.miu.studio.StudioException;
import dev.miu.studio.chat.ChatEvent;
import dev.miu.studio.chat.ChatRunner;
import dev.miu.studio.chat.ChatTurn;
import dev.miu.studio.chat.StoppingTurn;
import dev.miu.studio.chat.TurnResult;
import dev.miu.studio.session.SessionApprovals.Decider;
import dev.miu.studio.session.SessionIds;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code /chat}: one turn on a session, answered whole ({@code /invoke}) or streamed as server-sent events
 * ({@code /stream}, one {@code data: {json}} frame per {@link ChatEvent}). Problems found before the stream opens
 * (bad body, unknown session, no provider, a turn already running) are plain HTTP errors; later ones are an
 * {@code error} event. A client that leaves (or stops reading a stream) cancels its turn; {@code
 * /sessions/{id}/cancel} stops a session's running turn, whichever client started it.
 */
public final class ChatService implements HttpService {

    private static final System.Logger LOG = System.getLogger(ChatService.class.getName());
    /** How long a cancel request waits for the turn to end before answering 202 (still stopping). */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

    private static final HttpMediaType EVENT_STREAM = HttpMediaType.create("text/event-stream; charset=utf-8");

    private final ChatRunner chat;
    private final long maxBodyBytes;
    private final ClientWatch clients;

    public ChatService(ChatRunner chat, long maxBodyBytes, Duration streamWriteTimeout) {
        this.chat = chat;
        this.maxBodyBytes = maxBodyBytes;
        this.clients = new ClientWatch(streamWriteTimeout);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/chat/invoke", this::invoke)
                .post("/chat/stream", this::stream)
                .post("/sessions/{id}/cancel", this::cancel)
                .post("/sessions/{id}/approvals/{approval_id}", this::decide);
    }

    private void invoke(ServerRequest req, ServerResponse res) {
        ChatRequest body = ChatRequest.from(HttpJson.readObject(req, maxBodyBytes));
        TurnResult result;
        try (ChatTurn turn = chat.begin(body.sessionId());
                ClientWatch.Watched ignored = clients.watch(req, turn)) {
            result = chat.run(turn, body.message(), event -> {});
        }
        HttpJson.send(res, result.toJson());
    }

    private void stream(ServerRequest req, ServerResponse res) {
        ChatRequest body = ChatRequest.from(HttpJson.readObject(req, maxBodyBytes));
        ChatTurn turn = chat.begin(body.sessionId()); // 404, 409 and 503 are still plain HTTP answers
        streamTurn(req, res, turn, events -> chat.run(turn, body.message(), events));
    }

    /**
     * Decides one waiting tool call: 200 {@code {"status":"recorded","pending_approvals":[...]}} while others of the
     * turn wait; when it was the last, the run continues, streamed as SSE when the request accepts
     * {@code text/event-stream}, else answered as {@code /chat/invoke} answers; but when the paused turn still waits
     * with its own client connected, it goes on there and this answers {@code {"status":"continuing"}}.
     */
    private void decide(ServerRequest req, ServerResponse res) {
        String id = SessionIds.normalize(req.path().pathParameters().get("id"));
        if (id == null) {
            throw StudioException.badRequest("Invalid session ID format");
        }
        String approvalId = req.path().pathParameters().get("approval_id");
        ApprovalRequest body = ApprovalRequest.from(HttpJson.readObject(req, maxBodyBytes));
        ChatRunner.Decided decided = chat.decide(
                id,
                approvalId,
                body.approve(),
                body.reason(),
                body.remember(),
                Deciders.of(Decider.Via.HTTP, req.remotePeer(), body.decidedBy()));
        switch (decided) {
            case ChatRunner.Decided.Recorded r ->
                HttpJson.send(
                        res,
                        Json.object()
                                .add("status", r.continuing() ? "continuing" : "recorded")
                                .add("pending_approvals", r.pending())
                                .build());
            case ChatRunner.Decided.Continue c -> {
                ChatTurn turn = c.turn();
                if (req.headers().first(HeaderNames.ACCEPT).orElse("").contains("text/event-stream")) {
                    streamTurn(req, res, turn, events -> chat.resume(turn, events));
                } else {
                    TurnResult result;
                    try (turn;
                            ClientWatch.Watched ignored = clients.watch(req, turn)) {
                        result = chat.resume(turn, event -> {});
                    }
                    HttpJson.send(res, result.toJson());
                }
            }
        }
    }

    /** Streams the events {@code run} reports for the claimed {@code turn} as SSE, then frees it. */
    private void streamTurn(
            ServerRequest req,
            ServerResponse res,
            ChatTurn turn,
            java.util.function.Consumer<Consumer<ChatEvent>> run) {
        try (ClientWatch.Watched client = clients.watch(req, turn)) { // until the last write, after the turn
            SseEvents events;
            ChatEvent failure = null;
            turn.clientWatches(); // a pause for approval waits for a decision while this stream stays open
            try (turn) {
                res.header(HeaderNames.CACHE_CONTROL, "no-cache");
                res.header(HeaderNames.create("X-Accel-Buffering"), "no"); // tells proxies not to buffer the stream
                res.headers()
                        .contentType(EVENT_STREAM); // the sink keeps a type set before; the original named the charset
                events = new SseEvents(res.sink(SseSink.TYPE), turn, client);
                try {
                    run.accept(events);
                } catch (StudioException e) {
                    failure = new ChatEvent.Error(e.detail());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "Chat turn failed on session " + turn.sessionId(), e);
                    failure = new ChatEvent.Error(Errors.hiddenDetail(e)); // the log above has the message
                }
            }
            if (failure != null) {
                events.accept(failure); // sent once the session is free again, as done is
            }
            events.close();
        } finally {
            turn.streamEnded();
        }
    }

    /**
     * Stops the session's running turn: 200 once it has ended, 202 if it is still stopping after a few seconds. The
     * body is optional: {@code {decided_by?}} names who cancels, for the audit of the calls it denies.
     */
    private void cancel(ServerRequest req, ServerResponse res) {
        String id = SessionIds.normalize(req.path().pathParameters().get("id"));
        if (id == null) {
            throw StudioException.badRequest("Invalid session ID format");
        }
        Decider decidedBy = Deciders.of(
                Decider.Via.CANCEL, req.remotePeer(), Deciders.user(HttpJson.readObject(req, maxBodyBytes)));
        Optional<StoppingTurn> turn = chat.cancel(id, decidedBy);
        if (turn.isEmpty()) {
            // nothing runs: a cancel denies the calls waiting for approval, and the continuation keeps the history
            // valid
            Optional<ChatTurn> denied = chat.denyAll(id, ChatRunner.CANCELLED_BY_USER, decidedBy);
            if (denied.isPresent()) {
                try (ChatTurn t = denied.get()) {
                    chat.resume(t, event -> {});
                }
                HttpJson.send(
                        res,
                        Json.object()
                                .add("session_id", id)
                                .add("cancelled", true)
                                .add("status", "denied")
                                .build());
                return;
            }
        }
        boolean ended = true;
        if (turn.isPresent()) {
            try {
                ended = turn.get().awaitClosed(CANCEL_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ended = false;
            }
        }
        HttpJson.send(
                res,
                ended ? 200 : 202,
                Json.object()
                        .add("session_id", id)
                        .add("cancelled", turn.isPresent())
                        .add("status", turn.isEmpty() ? "idle" : ended ? "stopped" : "stopping")
                        .build());
    }

    /** Writes events to the SSE stream; once the client has gone, cancels the turn and drops the rest. */
    private static final class SseEvents implements Consumer<ChatEvent> {

        private final SseSink sink;
        private final ChatTurn turn;
        private final ClientWatch.Watched client;
        private boolean clientGone;

        SseEvents(SseSink sink, ChatTurn turn, ClientWatch.Watched client) {
            this.sink = sink;
            this.turn = turn;
            this.client = client;
        }

        @Override
        public void accept(ChatEvent event) {
            if (clientGone || client.clientGone()) {
                return;
            }
            try {
                // Helidon writes "data:" + data; the leading space gives the usual "data: {json}" (parsers drop one
                // space)
                client.write(() -> sink.emit(SseEvent.create(" " + Json.write(event.toJson()))));
            } catch (RuntimeException e) {
                clientGone = true;
                turn.cancel();
            }
        }

        /** Ends the stream; if the client has already gone there is nothing left to close cleanly. */
        void close() {
            if (client.clientGone()) {
                return; // its connection is closed or stalled: closing would write to it
            }
            try {
                client.write(sink::close);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "SSE client gone before the stream ended", e);
            }
        }
    }
}
