package dev.miu.code.tui;

/** What a key press means in the TUI. */
enum Key {
    CHAR,
    ENTER,
    BACKSPACE,
    DELETE,
    LEFT,
    RIGHT,
    HOME,
    END,
    UP,
    DOWN,
    PAGE_UP,
    PAGE_DOWN,
    /** Shift+Tab: next mode. */
    MODE,
    /** Ctrl+N: new session. */
    NEW_SESSION,
    /** Ctrl+L: clear the transcript on screen. */
    CLEAR,
    /** Esc: interrupt the running turn (or refuse a pending approval). */
    INTERRUPT,
    /** Ctrl+C (or Ctrl+D on an empty line): quit. */
    QUIT,
    EOF_OR_DELETE,
    IGNORE
}
