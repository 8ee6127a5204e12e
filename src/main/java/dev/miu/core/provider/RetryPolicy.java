package dev.miu.core.provider;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Retries as the official Anthropic and OpenAI SDKs do them: {@code maxRetries} more attempts on connection
 * errors, 408, 409, 429 and 5xx; exponential backoff from {@code initialBackoff} capped at {@code maxBackoff}
 * with jitter; a server's {@code retry-after-ms} or {@code retry-after} is honoured when it is reasonable.
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(8));
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO);

    /** A server-requested wait longer than this is ignored in favour of our own backoff, as the SDKs do. */
    private static final Duration MAX_HONOURED_RETRY_AFTER = Duration.ofSeconds(60);

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0");
        }
    }

    public static boolean retryableStatus(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    /**
     * How long to wait before retry number {@code retry} (1-based), given the failed response's headers
     * (a lookup of the first value by name, or {@code null} after a connection error).
     */
    public Duration backoff(int retry, Function<String, Optional<String>> headers) {
        Optional<Duration> requested = headers == null ? Optional.empty() : serverRequested(headers);
        if (requested.isPresent()) {
            return requested.get();
        }
        double base = (double) initialBackoff.toMillis() * Math.pow(2, retry - 1);
        double capped = Math.min(base, (double) maxBackoff.toMillis());
        double jitter = 1 - 0.25 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis((long) (capped * jitter));
    }

    private static Optional<Duration> serverRequested(Function<String, Optional<String>> headers) {
        Optional<Duration> wait = headers.apply("retry-after-ms").flatMap(v -> {
            try {
                return Optional.of(Duration.ofMillis((long) Double.parseDouble(v.trim())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
        if (wait.isEmpty()) {
            wait = headers.apply("retry-after").flatMap(RetryPolicy::parseRetryAfter);
        }
        return wait.filter(d -> !d.isNegative() && d.compareTo(MAX_HONOURED_RETRY_AFTER) <= 0);
    }

    private static Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            return Optional.of(Duration.ofMillis((long) (Double.parseDouble(v) * 1000)));
        } catch (NumberFormatException e) {
            try {
                var when = java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                return Optional.of(Duration.between(java.time.Instant.now(), when.toInstant()));
            } catch (java.time.format.DateTimeParseException ignored) {
                return Optional.empty();
            }
        }
    }
}
