package dev.miu.core.provider;

import java.time.Duration;

/** HTTP behaviour shared by every provider: retries and timeouts. {@code readTimeout} also bounds silence inside a stream. */
public record ProviderOptions(RetryPolicy retry, Duration connectTimeout, Duration readTimeout) {

    public static final ProviderOptions DEFAULT =
            new ProviderOptions(RetryPolicy.DEFAULT, Duration.ofSeconds(10), Duration.ofMinutes(10));

    public ProviderOptions withRetry(RetryPolicy retry) {
        return new ProviderOptions(retry, connectTimeout, readTimeout);
    }

    public ProviderOptions withReadTimeout(Duration readTimeout) {
        return new ProviderOptions(retry, connectTimeout, readTimeout);
    }
}
