package dev.miu.studio.http;

import dev.miu.core.json.Json;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

import java.nio.charset.StandardCharsets;

/**
 * Requests Helidon refuses before routing them (a malformed request line or header, two different
 * {@code Content-Length}s, a negative one, an oversized head): answered with {@code {"detail": ...}} like every other
 * error, and logged in one line. Helidon 4.5.0 answers these with an empty body, and a request line it cannot parse
 * (a method with a character a token may not have) with a 500 and a stack trace: here that is the 400 it is.
 */
public final class MalformedRequests implements DirectHandler {

    private static final System.Logger LOG = System.getLogger(MalformedRequests.class.getName());

    /** This handler for every kind of event Helidon handles directly. */
    public static DirectHandlers handlers() {
        var handler = new MalformedRequests();
        var builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(
            TransportRequest request,
            EventType eventType,
            Status defaultStatus,
            ServerResponseHeaders responseHeaders,
            String message) {
        boolean unparsed =
                request == TransportRequest.empty() || request.method().isEmpty();
        Status status = defaultStatus;
        String detail = message == null || message.isBlank() ? defaultStatus.reasonPhrase() : message;
        if (unparsed
                && (eventType == EventType.INTERNAL_ERROR || eventType == EventType.OTHER)
                && defaultStatus.code() == 500) {
            // nothing of the request could be read: the request line itself is malformed
            status = Status.BAD_REQUEST_400;
            detail = "Malformed request line";
        }
        LOG.log(
                status.code() >= 500 ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                "Refused a request" + (unparsed ? "" : " (" + request.method() + " " + request.path() + ")") + ": "
                        + status.code() + " " + detail);
        responseHeaders.set(HeaderValues.CONTENT_TYPE_JSON);
        return TransportResponse.builder()
                .status(status)
                .headers(responseHeaders)
                .entity(Json.write(Json.object().add("detail", detail).build()).getBytes(StandardCharsets.UTF_8))
                .keepAlive(false)
                .build();
    }
}
