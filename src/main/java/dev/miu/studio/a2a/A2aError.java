package dev.miu.studio.a2a;

/**
 * A JSON-RPC error the A2A binding answers with: the code (the JSON-RPC standard ones and the A2A ones of the
 * specification's section 5.4) and the message the client sees.
 */
final class A2aError extends RuntimeException {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL = -32603;
    /** JSON-RPC's implementation-defined server range, outside A2A's: a missing or wrong bearer key. */
    static final int UNAUTHENTICATED = -32000;

    static final int TASK_NOT_FOUND = -32001;
    static final int TASK_NOT_CANCELABLE = -32002;
    static final int PUSH_NOT_SUPPORTED = -32003;
    static final int UNSUPPORTED_OPERATION = -32004;
    static final int CONTENT_TYPE_NOT_SUPPORTED = -32005;
    static final int VERSION_NOT_SUPPORTED = -32009;

    private final int code;
    private final int httpStatus;

    A2aError(int code, String message) {
        this(code, message, 200);
    }

    /** {@code httpStatus}: what the HTTP response says (a JSON-RPC error is 200 unless the request never got in). */
    A2aError(int code, String message, int httpStatus) {
        super(message, null, false, false);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    int code() {
        return code;
    }

    int httpStatus() {
        return httpStatus;
    }

    static A2aError invalidParams(String message) {
        return new A2aError(INVALID_PARAMS, message);
    }

    static A2aError taskNotFound(String id) {
        return new A2aError(TASK_NOT_FOUND, "Task not found: " + id + " (unknown, or dropped from the kept tasks)");
    }

    static A2aError unsupported(String message) {
        return new A2aError(UNSUPPORTED_OPERATION, message);
    }
}
