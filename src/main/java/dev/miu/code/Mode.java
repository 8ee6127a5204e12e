package dev.miu.code;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How much the coding agent may do without asking. Shift+Tab in the TUI and {@code /mode} in the REPL cycle them. */
public enum Mode {
    /** Read tools run; Write, Edit and Bash ask for approval first. */
    NORMAL("ask before changes"),
    /** Read-only tools only; the agent is told it is planning and must not change anything. */
    PLAN("read-only planning"),
    /** Every tool runs without asking. */
    AUTO("no prompts");

    private final String summary;

    Mode(String summary) {
        this.summary = summary;
    }

    public String summary() {
        return summary;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The next mode in the cycle normal → plan → auto → normal. */
    public Mode next() {
        return switch (this) {
            case NORMAL -> PLAN;
            case PLAN -> AUTO;
            case AUTO -> NORMAL;
        };
    }

    /** Parses {@code normal}, {@code plan} or {@code auto} (any case); anything else is an error naming the choices. */
    public static Mode parse(String name) {
        if (name != null) {
            for (Mode m : values()) {
                if (m.wireName().equalsIgnoreCase(name.strip())) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("Unknown mode '" + name + "'; choose one of " + choices());
    }

    public static String choices() {
        return Arrays.stream(values()).map(Mode::wireName).collect(Collectors.joining(", "));
    }
}
