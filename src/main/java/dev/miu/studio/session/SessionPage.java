package dev.miu.studio.session;

import java.util.List;

/**
 * A page of the session list.
 *
 * @param sessions   the page, in the list's order
 * @param nextCursor where the next page starts, or null when this is the last
 */
public record SessionPage(List<SessionSummary> sessions, SessionQuery.Cursor nextCursor) {

    public SessionPage {
        sessions = List.copyOf(sessions);
    }

    /**
     * The first {@code limit} of {@code matching} (sessions after the cursor that match, in the list's order; at
     * least {@code limit + 1} of them when there are more), with the cursor after the last when more follow.
     */
    public static SessionPage of(List<SessionSummary> matching, int limit) {
        if (matching.size() <= limit) {
            return new SessionPage(matching, null);
        }
        List<SessionSummary> page = matching.subList(0, limit);
        return new SessionPage(page, SessionQuery.Cursor.after(page.get(limit - 1)));
    }
}
