package dev.miu.core.http;

import java.io.IOException;

/** The proxy refused to open a tunnel ({@code CONNECT}): the message names the proxy (never its password) and target. */
public final class ProxyException extends IOException {

    private final int status;

    ProxyException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The proxy's HTTP status, e.g. 407 when it wants credentials, 403 when the target is not allowed. */
    public int status() {
        return status;
    }
}
