package dev.miu.studio.chat;

import java.time.Duration;

/**
 * A turn asked to stop, here ({@link ChatTurn}) or on another server sharing the database (its lease is watched).
 */
public interface StoppingTurn {

    /** Waits up to {@code wait} for the turn to end and free its session; true if it has. */
    boolean awaitClosed(Duration wait) throws InterruptedException;
}
