package dev.miu.studio.chat;

/**
 * Told when the continuation of a paused run ({@link ChatRunner#resume}: after a person's decisions, or a cancel's
 * denials) ends on this server, whichever transport started it: the A2A server moves the task that paused on. A run
 * that pauses and goes on again within one continuation tells each level's end, with the same result, so a listener
 * must take a repeat as no news.
 */
@FunctionalInterface
public interface ContinuationListener {
    /**
     * @param result the continuation's outcome; null when it failed (a failed model call reopens the decisions, so the
     *               stored session says what waits now)
     */
    void continuationEnded(String sessionId, TurnResult result);
}
