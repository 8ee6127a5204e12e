package dev.miu.rag;

import dev.miu.core.MiuException;

/** A retrieval request miu cannot carry out: a bad argument, a mismatched collection, an unreadable store. */
public class RagException extends MiuException {
    public RagException(String message) {
        super(message);
    }

    public RagException(String message, Throwable cause) {
        super(message, cause);
    }
}
