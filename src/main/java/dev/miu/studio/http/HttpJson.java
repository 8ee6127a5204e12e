package dev.miu.studio.http;

import dev.miu.core.json.Json;
import dev.miu.studio.StudioException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/** JSON request bodies (read with a size limit) and JSON responses, written the same way everywhere. */
final class HttpJson {

    private HttpJson() {}

    static void send(ServerResponse res, int status, JsonValue body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    static void send(ServerResponse res, JsonValue body) {
        send(res, 200, body);
    }

    static void detail(ServerResponse res, int status, String detail) {
        send(res, status, Json.object().add("detail", detail).build());
    }

    /**
     * The request body as a JSON object: {@code {}} when there is none, 413 above {@code limit} bytes, 400 when it
     * is not JSON or does not arrive whole (see {@link RequestBody}), 422 when it is JSON but not an object.
     */
    static JsonObject readObject(ServerRequest req, long limit) {
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > limit) {
            throw tooLarge(limit);
        }
        if (!req.content().hasEntity()) {
            return Json.EMPTY_OBJECT;
        }
        byte[] bytes = RequestBody.read(req, limit);
        if (bytes.length > limit) {
            throw tooLarge(limit);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return Json.EMPTY_OBJECT;
        }
        JsonValue value;
        try {
            value = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw StudioException.badRequest(e.getMessage());
        }
        if (!(value instanceof JsonObject object)) {
            throw StudioException.unprocessable("The request body must be a JSON object");
        }
        return object;
    }

    private static StudioException tooLarge(long limit) {
        return new StudioException(
                413, "Request body is larger than the limit of " + limit + " bytes (server.max-body-bytes)");
    }
}
