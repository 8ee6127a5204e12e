/**
 * The line-oriented face of the coding agent: {@code miu} / {@code miu code} (a JLine REPL with history, streamed
 * answers, tool calls shown as they run and approval prompts), and the printer {@code miu -q} shares.
 */
package dev.miu.code.repl;
