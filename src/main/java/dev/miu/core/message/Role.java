package dev.miu.core.message;

/** Who wrote a message. The system prompt is not a message; it travels beside the conversation. */
public enum Role {
    USER("user"),
    ASSISTANT("assistant");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    /** {@code user} or {@code assistant}: written for every message of every model request, so not computed each time. */
    public String wireName() {
        return wireName;
    }

    public static Role fromWire(String name) {
        return switch (name) {
            case "user" -> USER;
            case "assistant" -> ASSISTANT;
            default -> throw new IllegalArgumentException("Unknown role: " + name);
        };
    }
}
