package dev.miu.studio.session;

import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;

/**
 * One page of the session list: at most {@code limit} sessions, most recently updated first (ties by id, descending),
 * after {@code cursor}, of agent {@code agent}, whose title or messages contain {@code text} (ignoring case).
 *
 * @param limit        sessions per page, 1 to {@link #MAX_LIMIT}
 * @param cursor       where the previous page ended ({@link Cursor}), or null for the first page
 * @param agent        only sessions of this agent, or null for all
 * @param text         only sessions whose title or message text contains this, ignoring case; or null for all
 * @param defaultAgent the agent of sessions that name none (stored before agents were named)
 */
public record SessionQuery(int limit, Cursor cursor, String agent, String text, String defaultAgent) {

    public static final int MAX_LIMIT = 200;
    public static final int MAX_TEXT = 200;

    public SessionQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if (text != null && (text.isEmpty() || text.length() > MAX_TEXT)) {
            throw new IllegalArgumentException("q must be 1 to " + MAX_TEXT + " characters");
        }
    }

    /** Whether {@code summary} belongs to the page's agent (its session's agent, or the default for none). */
    public boolean matchesAgent(SessionSummary summary) {
        return agent == null || agent.equals(summary.agent() != null ? summary.agent() : defaultAgent);
    }

    /** Whether {@code session}'s title or the text of a message contains {@link #text}, ignoring case. */
    public boolean matchesText(Session session) {
        if (text == null) {
            return true;
        }
        String needle = text.toLowerCase(Locale.ROOT);
        if (session.name().toLowerCase(Locale.ROOT).contains(needle)) {
            return true;
        }
        for (Message m : session.messages()) {
            if (searchText(m).toLowerCase(Locale.ROOT).contains(needle)) {
                return true;
            }
        }
        return false;
    }

    /** What a text search looks at in a message: its text blocks and tool results, not tool arguments or ids. */
    public static String searchText(Message message) {
        StringBuilder out = new StringBuilder();
        for (ContentBlock block : message.content()) {
            switch (block) {
                case ContentBlock.Text t -> out.append(t.text()).append('\n');
                case ContentBlock.ToolResult r -> out.append(r.content()).append('\n');
                case ContentBlock.ToolUse u -> {} // arguments are JSON: searching them finds keys, not words
            }
        }
        return out.toString();
    }

    /**
     * Where a page ended: the last session's update time and id. Opaque to clients (base64url of both); a cursor
     * that does not decode is an {@link IllegalArgumentException}.
     */
    public record Cursor(Instant updatedAt, String id) {

        public static Cursor after(SessionSummary last) {
            return new Cursor(last.updatedAt(), last.id());
        }

        public String encode() {
            String plain = updatedAt + " " + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
        }

        public static Cursor decode(String text) {
            try {
                String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int space = plain.indexOf(' ');
                String id = plain.substring(space + 1);
                if (space < 0 || !SessionIds.isValid(id)) {
                    throw new IllegalArgumentException("cursor is not one this server gave");
                }
                return new Cursor(Instant.parse(plain.substring(0, space)), id);
            } catch (IllegalArgumentException | DateTimeParseException | StringIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("cursor is not one this server gave", e);
            }
        }

        /** Whether {@code s} comes after this cursor in the list's order (newest first, then id descending). */
        public boolean isBefore(SessionSummary s) {
            int c = s.updatedAt().compareTo(updatedAt);
            return c < 0 || (c == 0 && s.id().compareTo(id) < 0);
        }
    }
}
