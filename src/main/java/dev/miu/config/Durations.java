package dev.miu.config;

import dev.miu.core.ConfigurationException;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as app.yaml writes them: a whole number with a unit, {@code 500ms}, {@code 90s}, {@code 10m}, {@code 1h}. */
public final class Durations {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

    private Durations() {}

    /**
     * Parses {@code text} for setting {@code key} (named in the error).
     *
     * @throws ConfigurationException not a whole number with one of the units ms, s, m, h, or zero
     */
    public static Duration parse(String key, String text) {
        Matcher m = FORMAT.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigurationException(
                    key + " must be a duration such as 500ms, 90s, 10m or 1h, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.isZero()) {
            throw new ConfigurationException(key + " must be longer than zero, got '" + text + "'");
        }
        return d;
    }

    /** The duration at {@code key} of {@code tree}, or {@code fallback} when it is not set. */
    static Duration get(ConfigTree tree, String key, String path, Duration fallback) {
        return tree.get(key).asString().map(v -> parse(path, v)).orElse(fallback);
    }

    /** The short form {@link #parse} reads, for messages: {@code 10m}, {@code 90s}, {@code 500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
