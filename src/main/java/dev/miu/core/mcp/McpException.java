package dev.miu.core.mcp;

import dev.miu.core.MiuException;

/**
 * An MCP server could not be reached, broke the protocol, timed out, or answered a request with a JSON-RPC error
 * ({@link #code()} is then the error's code; otherwise {@link #NO_CODE}).
 */
public class McpException extends MiuException {

    public static final int NO_CODE = 0;

    private final int code;

    public McpException(String message) {
        this(message, NO_CODE, null);
    }

    public McpException(String message, Throwable cause) {
        this(message, NO_CODE, cause);
    }

    public McpException(String message, int code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The JSON-RPC error code the server sent, or {@link #NO_CODE}. */
    public int code() {
        return code;
    }
}
