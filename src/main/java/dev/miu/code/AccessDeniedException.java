package dev.miu.code;

import dev.miu.core.MiuException;

/** A tool was asked to touch a path outside its workspace; the message starts with "Access denied". */
public final class AccessDeniedException extends MiuException {
    public AccessDeniedException(String message) {
        super(message);
    }
}
