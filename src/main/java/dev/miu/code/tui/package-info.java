/**
 * {@code miu tui}: the coding agent in a full-screen terminal UI built on JLine 3 (raw mode, alternate screen,
 * diff-rendered with {@code Display}). One UI thread owns all state and redraws after each batch of events; the key
 * reader, the agent's turn and approval requests post {@link dev.miu.code.tui.UiEvent}s to it.
 */
package dev.miu.code.tui;
