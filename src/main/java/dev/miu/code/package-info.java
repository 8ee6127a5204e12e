/**
 * The coding agent: a {@link dev.miu.code.CodingAgent} that reads, searches and edits files and runs commands in one
 * {@link dev.miu.code.Workspace}, gated by a {@link dev.miu.code.Mode}; its terminal faces live in
 * {@code repl} and {@code tui}.
 */
package dev.miu.code;
