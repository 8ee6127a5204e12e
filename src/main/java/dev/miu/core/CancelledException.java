package dev.miu.core;

/** The running work was cancelled by its caller (a stop button, an interrupt). */
public class CancelledException extends MiuException {
    public CancelledException(String message) {
        super(message);
    }
}
