package dev.miu.core.provider;

import dev.miu.core.MiuException;

/**
 * A provider call failed after its retries: the HTTP status (0 when the connection itself failed)
 * and the provider's own error message. Never carries request headers, so API keys cannot leak through it.
 */
public class ProviderException extends MiuException {

    private final String provider;
    private final int status;
    private final boolean retryable;

    public ProviderException(String provider, int status, String message, boolean retryable) {
        super(message);
        this.provider = provider;
        this.status = status;
        this.retryable = retryable;
    }

    public ProviderException(String provider, int status, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.provider = provider;
        this.status = status;
        this.retryable = retryable;
    }

    public String provider() {
        return provider;
    }

    /** HTTP status of the failed call, or 0 for a connection failure or an error event inside a stream. */
    public int status() {
        return status;
    }

    /** Whether the failure was of a kind worth retrying (it may still have been given up on). */
    public boolean retryable() {
        return retryable;
    }
}
