package dev.miu.studio;

/**
 * A request the studio refuses, with the HTTP status and the {@code detail} text the client sees. Mapped to
 * {@code {"detail": ...}} once, in the routing's error handler (and to an {@code error} event on streams).
 */
public class StudioException extends RuntimeException {

    private final int status;

    public StudioException(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }

    public static StudioException badRequest(String detail) {
        return new StudioException(400, detail);
    }

    public static StudioException unprocessable(String detail) {
        return new StudioException(422, detail);
    }

    public static StudioException notFound(String detail) {
        return new StudioException(404, detail);
    }
}
