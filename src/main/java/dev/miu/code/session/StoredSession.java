package dev.miu.code.session;

import dev.miu.core.message.Message;

import java.util.List;

/** A session read back from disk: its header and its messages, in order. */
public record StoredSession(SessionInfo info, List<Message> messages) {
    public StoredSession {
        messages = List.copyOf(messages);
    }
}
