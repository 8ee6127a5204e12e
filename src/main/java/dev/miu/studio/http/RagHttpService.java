package dev.miu.studio.http;

import dev.miu.core.json.Json;
import dev.miu.rag.CollectionNotFoundException;
import dev.miu.rag.RagException;
import dev.miu.rag.RagService;
import dev.miu.rag.RagStorageException;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The studio's RAG routes, mounted at {@code /api/v1/rag}:
 * {@code POST /{collection}/documents} adds documents, {@code GET /{collection}/search} searches. Errors answer
 * {@code {"detail": "..."}}: 400 for bad input, 404 for an unknown collection, 500 (logged, no paths) when the
 * store's files fail.
 */
public final class RagHttpService implements HttpService {

    private static final System.Logger LOG = System.getLogger(RagHttpService.class.getName());
    public static final String PATH = "/api/v1/rag";
    private static final String FILTER_PREFIX = "filter.";

    /** Bodies above this many bytes are refused with 413 unless the server sets another limit. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    private final RagService rag;
    private final long maxBodyBytes;

    public RagHttpService(RagService rag) {
        this(rag, DEFAULT_MAX_BODY_BYTES);
    }

    public RagHttpService(RagService rag, long maxBodyBytes) {
        this.rag = rag;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/{collection}/documents", this::addDocuments).get("/{collection}/search", this::search);
    }

    private void addDocuments(ServerRequest req, ServerResponse res) {
        var declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) {
            res.status(Status.REQUEST_ENTITY_TOO_LARGE_413)
                    .header(HeaderValues.CONTENT_TYPE_JSON)
                    .send(Json.write(detail("Request body is larger than " + maxBodyBytes + " bytes")));
            return;
        }
        handle(res, () -> {
            String body;
            byte[] bytes = RequestBody.read(req, maxBodyBytes); // 400 for a short or malformed body
            if (bytes.length > maxBodyBytes) {
                throw new TooLarge("Request body is larger than " + maxBodyBytes + " bytes");
            }
            body = new String(bytes, StandardCharsets.UTF_8);
            JsonObject json;
            try {
                json = Json.parseObject(body);
            } catch (IllegalArgumentException e) {
                throw new RagException("The body is not a JSON object: " + e.getMessage());
            }
            return rag.addDocuments(req.path().pathParameters().get("collection"), json);
        });
    }

    private void search(ServerRequest req, ServerResponse res) {
        handle(res, () -> {
            var query = req.query();
            Map<String, String> filter = new LinkedHashMap<>();
            for (String name : query.names()) {
                if (name.startsWith(FILTER_PREFIX) && name.length() > FILTER_PREFIX.length()) {
                    filter.put(name.substring(FILTER_PREFIX.length()), query.get(name));
                }
            }
            return rag.search(
                    req.path().pathParameters().get("collection"),
                    query.first("q").orElse(null),
                    query.first("k").orElse(null),
                    query.first("mode").orElse(null),
                    filter);
        });
    }

    private static void handle(ServerResponse res, Supplier<JsonObject> action) {
        Status status = Status.OK_200;
        JsonObject body;
        try {
            body = action.get();
        } catch (CollectionNotFoundException e) {
            status = Status.NOT_FOUND_404;
            body = detail(e.getMessage());
        } catch (RagStorageException e) {
            LOG.log(System.Logger.Level.ERROR, "Knowledge base storage error", e);
            status = Status.INTERNAL_SERVER_ERROR_500;
            body = detail("Storage error in the knowledge base; see the server log");
        } catch (TooLarge e) {
            status = Status.REQUEST_ENTITY_TOO_LARGE_413;
            body = detail(e.getMessage());
        } catch (RagException e) {
            status = Status.BAD_REQUEST_400;
            body = detail(e.getMessage());
        }
        res.status(status).header(HeaderValues.CONTENT_TYPE_JSON).send(Json.write(body));
    }

    /** A chunked body that turned out larger than the limit. */
    private static final class TooLarge extends RuntimeException {
        TooLarge(String message) {
            super(message);
        }
    }

    private static JsonObject detail(String message) {
        return Json.object().add("detail", message).build();
    }
}
