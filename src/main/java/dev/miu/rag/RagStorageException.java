package dev.miu.rag;

/**
 * The vector store's files could not be created, opened, read or written. Its message names them: the command
 * line shows it whole, the HTTP API logs it and answers 500 without it (server paths are not the client's business).
 */
public class RagStorageException extends RagException {
    public RagStorageException(String message) {
        super(message);
    }

    public RagStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
