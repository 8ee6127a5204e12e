package dev.miu.core.message;

/**
 * Tokens a model call consumed. Cache figures are zero where the provider does not report them.
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    public Usage(long inputTokens, long outputTokens) {
        this(inputTokens, outputTokens, 0, 0);
    }

    public Usage plus(Usage other) {
        return new Usage(
                inputTokens + other.inputTokens,
                outputTokens + other.outputTokens,
                cacheReadTokens + other.cacheReadTokens,
                cacheWriteTokens + other.cacheWriteTokens);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
