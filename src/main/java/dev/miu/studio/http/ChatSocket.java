package dev.miu.studio.http;

import dev.miu.core.json.Json;
import dev.miu.studio.StudioException;
import dev.miu.studio.chat.ChatEvent;
import dev.miu.studio.chat.ChatRunner;
import dev.miu.studio.chat.ChatTurn;
import dev.miu.studio.session.SessionApprovals.Decider;
import dev.miu.studio.session.SessionIds;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import jakarta.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code /api/v1/chat/ws/{session_id}}: chat over one WebSocket connection (one listener per connection).
 * The client sends {@code {"message": "..."}} to run a turn, or {@code {"type": "cancel"}} to stop the running
 * one; the server sends the same events as the SSE stream. Turns run on their own virtual thread so a cancel can
 * arrive while one runs. Bad input is an {@code error} event and the connection stays open.
 */
public final class ChatSocket implements WsListener {

    public static final String PATH_PREFIX = "/api/v1/chat/ws/";

    private static final System.Logger LOG = System.getLogger(ChatSocket.class.getName());

    private final ChatRunner chat;
    private final AccessPolicy access;
    /** Largest client message accepted (the HTTP body limit, so both ways take the same); bigger ones get an error event. */
    private final long maxMessageBytes;

    private final ReentrantLock sendLock = new ReentrantLock();
    private final StringBuilder pending = new StringBuilder();
    private long pendingBytes;
    private boolean oversized;
    private String rawId;
    /** The validated session id, or null while the connection is refused. */
    private volatile String sessionId;

    private final AtomicReference<ChatTurn> current = new AtomicReference<>();

    public ChatSocket(ChatRunner chat, AccessPolicy access, long maxMessageBytes) {
        this.chat = chat;
        this.access = access;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Checks the Host, the token and the browser's Origin before the connection is accepted; remembers the session id. */
    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        if (!access.hostAllowed(headers.first(HeaderNames.HOST))) {
            // refused here, the request goes on as plain HTTP, where AccessFilter answers 403 with the detail
            throw new WsUpgradeException("Host not allowed");
        }
        if (access.authRequired()) {
            // Browsers cannot set headers on a WebSocket, so the token may also come as ?token=...
            Optional<String> token = AccessPolicy.bearer(headers.first(HeaderNames.AUTHORIZATION))
                    .or(() -> prologue.query().first("token").asOptional());
            if (!access.tokenAccepted(token.orElse(null))) {
                throw new WsUpgradeException("Missing or invalid API key");
            }
        }
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        if (origin.isPresent() && !access.originAllowed(origin.get(), headers.first(HeaderNames.HOST))) {
            throw new WsUpgradeException("Origin " + origin.get() + " is not allowed");
        }
        String path = prologue.uriPath().path();
        rawId = path.startsWith(PATH_PREFIX) ? path.substring(PATH_PREFIX.length()) : "";
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        String id = SessionIds.normalize(rawId);
        if (id == null) {
            refuse(session, "Invalid session ID format");
        } else if (!chat.exists(id)) {
            refuse(session, "Session not found");
        } else {
            sessionId = id;
        }
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (!oversized) {
            pendingBytes += text.getBytes(StandardCharsets.UTF_8).length;
            if (pendingBytes > maxMessageBytes) {
                oversized = true;
                pending.setLength(0);
            } else {
                pending.append(text);
            }
        }
        if (!last) {
            return;
        }
        String message = pending.toString();
        boolean tooBig = oversized;
        pending.setLength(0);
        pendingBytes = 0;
        oversized = false;
        if (tooBig) {
            send(
                    session,
                    new ChatEvent.Error("Message larger than " + maxMessageBytes + " bytes (server.max-body-bytes)"));
        } else {
            handle(session, message);
        }
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        cancelCurrent(); // nobody is listening any more
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        LOG.log(System.Logger.Level.DEBUG, "WebSocket error on session " + rawId, t);
        cancelCurrent();
    }

    private void handle(WsSession session, String text) {
        if (sessionId == null) {
            return; // refused at open; the connection is closing
        }
        JsonObject body;
        try {
            body = Json.parseObject(text);
        } catch (IllegalArgumentException e) {
            send(session, new ChatEvent.Error(e.getMessage()));
            return;
        }
        String type = Json.string(body, "type", null);
        if ("cancel".equals(type)) {
            try {
                // whichever connection or request started the session's turn; with none running, a cancel denies
                // the calls waiting for approval and the continuation runs here, so the history stays valid
                Decider decidedBy =
                        Deciders.of(Decider.Via.CANCEL, session.socketContext().remotePeer(), Deciders.user(body));
                if (chat.cancel(sessionId, decidedBy).isEmpty() && current.get() == null) {
                    chat.denyAll(sessionId, ChatRunner.CANCELLED_BY_USER, decidedBy)
                            .ifPresent(turn -> start(session, turn, events -> chat.resume(turn, events)));
                }
            } catch (StudioException e) {
                send(session, new ChatEvent.Error(e.detail()));
            }
            return;
        }
        if ("approval".equals(type)) {
            approval(session, body);
            return;
        }
        if (type != null && !"message".equals(type)) {
            send(
                    session,
                    new ChatEvent.Error("Unknown message type '" + type
                            + "'; send {\"message\": \"...\"}, {\"type\": \"approval\", ...} or"
                            + " {\"type\": \"cancel\"}"));
            return;
        }
        String message;
        try {
            message = ChatRequest.message(body);
        } catch (StudioException e) {
            send(session, new ChatEvent.Error(e.detail()));
            return;
        }
        if (current.get() != null) {
            send(
                    session,
                    new ChatEvent.Error(
                            "A turn is already running on this session; send {\"type\": \"cancel\"} to stop it"));
            return;
        }
        ChatTurn turn;
        try {
            turn = chat.begin(sessionId);
        } catch (StudioException e) {
            send(session, new ChatEvent.Error(e.detail()));
            return;
        }
        start(session, turn, events -> chat.run(turn, message, events));
    }

    /**
     * {@code {"type":"approval","approval_id","decision","reason"?,"remember"?,"decided_by"?}}: the continuation
     * streams here.
     */
    private void approval(WsSession session, JsonObject body) {
        try {
            String approvalId = Fields.requiredString(body, "approval_id", 100);
            ApprovalRequest decision = ApprovalRequest.from(body);
            Decider decidedBy =
                    Deciders.of(Decider.Via.WEBSOCKET, session.socketContext().remotePeer(), decision.decidedBy());
            switch (chat.decide(
                    sessionId, approvalId, decision.approve(), decision.reason(), decision.remember(), decidedBy)) {
                case ChatRunner.Decided.Recorded r ->
                    send(session, new ChatEvent.ApprovalRecorded(approvalId, r.pending()));
                case ChatRunner.Decided.Continue c -> start(session, c.turn(), events -> chat.resume(c.turn(), events));
            }
        } catch (StudioException e) {
            send(session, new ChatEvent.Error(e.detail()));
        }
    }

    /** Runs {@code run} on the claimed {@code turn} in a virtual thread, sending its events to this socket. */
    private void start(
            WsSession session, ChatTurn turn, java.util.function.Consumer<java.util.function.Consumer<ChatEvent>> run) {
        current.set(turn);
        turn.clientWatches(); // a pause for approval waits for this socket's decisions while it stays open
        Thread.ofVirtual().name("miu-ws-turn-" + sessionId).start(() -> runTurn(session, turn, run));
    }

    private void runTurn(
            WsSession session, ChatTurn turn, java.util.function.Consumer<java.util.function.Consumer<ChatEvent>> run) {
        ChatEvent failure = null;
        try (turn) {
            run.accept(event -> {
                if (event instanceof ChatEvent.Done) {
                    current.compareAndSet(turn, null); // the next message may start a turn as soon as done arrives
                } else if (turn.isCancelled()) {
                    return; // the client asked to stop; only the final done still matters
                }
                send(session, event);
            });
        } catch (StudioException e) {
            failure = new ChatEvent.Error(e.detail());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Chat turn failed on session " + sessionId, e);
            failure = new ChatEvent.Error(Errors.hiddenDetail(e)); // the log above has the message
        } finally {
            current.compareAndSet(turn, null);
        }
        if (failure != null) {
            send(session, failure); // after the session is free again, like done
        }
        turn.streamEnded();
    }

    private void cancelCurrent() {
        ChatTurn turn = current.get();
        if (turn != null) {
            turn.cancel();
        }
    }

    /** Sends one event; the turn thread and the connection's thread both send, so sends are serialised. */
    private void send(WsSession session, ChatEvent event) {
        sendLock.lock();
        try {
            session.send(Json.write(event.toJson()), true);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Cannot send to WebSocket client; cancelling its turn", e);
            cancelCurrent();
        } finally {
            sendLock.unlock();
        }
    }

    private void refuse(WsSession session, String detail) {
        send(session, new ChatEvent.Error(detail));
        session.close(WsCloseCodes.VIOLATED_POLICY, detail);
    }
}
