package dev.miu.studio.session;

/**
 * The session store cannot be reached right now (a database outage, a pool with no free connection in time). The
 * studio answers 503 with this message; the request can be tried again once the store is back.
 */
public final class SessionStoreUnavailableException extends RuntimeException {

    public SessionStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
