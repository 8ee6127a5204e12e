/** The {@code miu} command line (picocli): one-shot questions, the studio server, and later the REPL, TUI and examples. */
package dev.miu.cli;
