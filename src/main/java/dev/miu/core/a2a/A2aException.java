package dev.miu.core.a2a;

import dev.miu.core.MiuException;

/** A remote A2A agent could not be reached or read, or answered with an error; the message says which and why. */
public final class A2aException extends MiuException {
    public A2aException(String message) {
        super(message);
    }

    public A2aException(String message, Throwable cause) {
        super(message, cause);
    }
}
