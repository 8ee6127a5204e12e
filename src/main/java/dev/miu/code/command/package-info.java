/**
 * Slash commands shared by the REPL and the TUI ({@code /help}, {@code /clear}, {@code /model}, {@code /mode},
 * {@code /sessions}, {@code /resume}, {@code /exit}) and the user's own commands from {@code .miu/commands/*.md}.
 */
package dev.miu.code.command;
