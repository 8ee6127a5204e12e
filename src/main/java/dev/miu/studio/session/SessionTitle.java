package dev.miu.studio.session;

import dev.miu.core.message.Message;

import java.util.List;

/**
 * Session titles: a session created without a name is {@value #UNTITLED} until its first message, which then names
 * it (the first line, shortened at a word). A name the user gave, at creation or by renaming, is kept.
 */
public final class SessionTitle {

    public static final String UNTITLED = "New chat";
    /** Long enough to tell chats apart in the sidebar, short enough to fit in it. */
    static final int MAX_LENGTH = 48;

    private SessionTitle() {}

    /** A short title for a chat that starts with {@code message}, or {@value #UNTITLED} if it has no text. */
    public static String from(String message) {
        String text = message == null ? "" : message.strip();
        int newline = text.indexOf('\n');
        String line = (newline >= 0 ? text.substring(0, newline) : text)
                .replaceAll("[\\s\\p{Z}]+", " ")
                .strip();
        if (line.isEmpty()) {
            return UNTITLED;
        }
        if (line.codePointCount(0, line.length()) <= MAX_LENGTH) {
            return line;
        }
        String cut = line.substring(0, line.offsetByCodePoints(0, MAX_LENGTH - 1));
        int space = cut.lastIndexOf(' ');
        if (space >= MAX_LENGTH / 2) {
            cut = cut.substring(0, space); // end at a word when that keeps most of the line
        }
        return cut.stripTrailing() + "…";
    }

    /**
     * {@code session} with {@code userMessage} appended, titled from it when this is its first message and the
     * session is still {@value #UNTITLED}.
     */
    public static Session appendUserMessage(Session session, String userMessage) {
        boolean untitled = session.messages().isEmpty() && UNTITLED.equals(session.name());
        Session titled = untitled ? session.withName(from(userMessage)) : session;
        return titled.append(List.of(Message.user(userMessage)));
    }
}
