package dev.miu.core.provider;

import dev.miu.core.http.ProxySettings;

import javax.net.ssl.SSLContext;
import java.time.Duration;

/**
 * HTTP behaviour shared by every provider: retries, timeouts and proxies. {@code readTimeout} also bounds silence
 * inside a stream. {@link Providers} fills in the proxies of its {@link ProviderSettings}.
 *
 * @param tls the TLS context for provider calls, or null for the JDK's default (tests trust their own certificate)
 */
public record ProviderOptions(
        RetryPolicy retry, Duration connectTimeout, Duration readTimeout, ProxySettings proxy, SSLContext tls) {

    public static final ProviderOptions DEFAULT =
            new ProviderOptions(RetryPolicy.DEFAULT, Duration.ofSeconds(10), Duration.ofMinutes(10));

    /** Without proxies, with the JDK's default TLS context. */
    public ProviderOptions(RetryPolicy retry, Duration connectTimeout, Duration readTimeout) {
        this(retry, connectTimeout, readTimeout, ProxySettings.NONE, null);
    }

    public ProviderOptions withRetry(RetryPolicy retry) {
        return new ProviderOptions(retry, connectTimeout, readTimeout, proxy, tls);
    }

    public ProviderOptions withReadTimeout(Duration readTimeout) {
        return new ProviderOptions(retry, connectTimeout, readTimeout, proxy, tls);
    }

    public ProviderOptions withProxy(ProxySettings proxy) {
        return new ProviderOptions(retry, connectTimeout, readTimeout, proxy, tls);
    }

    public ProviderOptions withTls(SSLContext tls) {
        return new ProviderOptions(retry, connectTimeout, readTimeout, proxy, tls);
    }
}
