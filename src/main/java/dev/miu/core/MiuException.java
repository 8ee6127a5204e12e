package dev.miu.core;

/**
 * Root of miu's small unchecked hierarchy for programming and configuration errors.
 * Model and tool failures are not exceptions: they become observations the model reads.
 */
public class MiuException extends RuntimeException {
    public MiuException(String message) {
        super(message);
    }

    public MiuException(String message, Throwable cause) {
        super(message, cause);
    }
}
