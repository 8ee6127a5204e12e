package dev.miu.studio.session;

/** A stored session could not be read back: its file is not a valid session. Nothing is changed on disk. */
public class CorruptSessionException extends RuntimeException {

    public CorruptSessionException(String message, Throwable cause) {
        super(message, cause);
    }
}
