/**
 * The Agent2Agent (A2A 1.0) server: an agent card per hosted agent and the JSON-RPC binding (send, stream, get and
 * cancel a task), a thin adapter over {@link dev.miu.studio.chat.ChatRunner}. A context is a miu session; a task is
 * one turn on it, kept in memory (bounded) so it can be read or cancelled.
 */
package dev.miu.studio.a2a;
