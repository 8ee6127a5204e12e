package dev.miu.code.command;

/** What a slash command asks the terminal front end to do. */
public sealed interface CommandResult {

    /** Show this text to the user. */
    record Show(String text) implements CommandResult {}

    /** Send this prompt to the agent as if the user typed it (custom commands). */
    record Prompt(String text) implements CommandResult {}

    /** The conversation was replaced (new or resumed session): clear the transcript, then show this text. */
    record Reset(String text) implements CommandResult {}

    /** Leave the REPL or TUI. */
    record Exit() implements CommandResult {}
}
