/**
 * Chat turns on sessions: {@link dev.miu.studio.chat.ChatRunner} runs one agent turn on a session's history and
 * reports it as {@link dev.miu.studio.chat.ChatEvent}s, the vocabulary SSE and WebSocket share;
 * {@link dev.miu.studio.chat.ActiveTurns} keeps one turn per session and lets a client cancel it.
 */
package dev.miu.studio.chat;
