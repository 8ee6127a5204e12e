package dev.miu.core.message;

/** Who wrote a message. The system prompt is not a message; it travels beside the conversation. */
public enum Role {
    USER,
    ASSISTANT;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Role fromWire(String name) {
        return switch (name) {
            case "user" -> USER;
            case "assistant" -> ASSISTANT;
            default -> throw new IllegalArgumentException("Unknown role: " + name);
        };
    }
}
