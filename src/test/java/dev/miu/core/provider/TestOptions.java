package dev.miu.core.provider;

import java.time.Duration;

/** Provider options for tests: the default retry count, with millisecond backoffs so retry tests stay quick. */
public final class TestOptions {
    public static final ProviderOptions FAST = new ProviderOptions(
            new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(40)),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10));

    private TestOptions() {}
}
