package dev.miu.studio;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import dev.miu.core.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The studio's OpenAPI document as a test oracle: finds the operation a request goes to, checks that the answer's
 * status is documented for it and that its body (or each SSE or WebSocket event) matches the documented schema, and
 * remembers which operations were called. Schemas are checked with networknt's validator in the OpenAPI 3.1 dialect,
 * and more strictly than a client would: an object with {@code properties} may have no others, so a field the server
 * sends must be in the document.
 */
final class OpenApiDocument {

    /** Where the document is registered for the validator; nothing is fetched from it. */
    private static final String BASE = "https://miu.test/openapi.json";

    private static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final JsonObject doc;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final Set<String> called = ConcurrentHashMap.newKeySet();

    OpenApiDocument(JsonObject doc) {
        this.doc = doc;
        String strict = Json.write(strict(doc));
        this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), b -> b.schemas(Map.of(BASE, strict)));
    }

    JsonObject json() {
        return doc;
    }

    /** Every operation of the document, as {@code "GET /api/v1/sessions/{id}"}. */
    Set<String> operations() {
        Set<String> out = new TreeSet<>();
        doc.getJsonObject("paths")
                .forEach((path, item) -> item.asJsonObject().keySet().stream()
                        .filter(METHODS::contains)
                        .forEach(m -> out.add(m.toUpperCase(Locale.ROOT) + " " + path)));
        return out;
    }

    /**
     * The keywords of the document's schemas that JSON Schema 2020-12 and OpenAPI do not define: a typo, or a YAML
     * flow scalar with a comma that was split into a key of its own ({@code {description: a, b}}).
     */
    Set<String> unknownSchemaKeywords() {
        Set<String> unknown = new TreeSet<>();
        doc.getJsonObject("components")
                .getJsonObject("schemas")
                .forEach((name, schema) -> keywords(schema, "#/components/schemas/" + name, unknown));
        doc.getJsonObject("paths").forEach((path, item) -> findSchemas(item, path, unknown));
        return unknown;
    }

    private static final Set<String> KEYWORDS = Set.of(
            "type",
            "properties",
            "required",
            "items",
            "oneOf",
            "anyOf",
            "allOf",
            "not",
            "const",
            "enum",
            "description",
            "title",
            "format",
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "minimum",
            "maximum",
            "pattern",
            "additionalProperties",
            "unevaluatedProperties",
            "$ref",
            "default",
            "examples",
            "deprecated",
            "readOnly",
            "writeOnly");

    private static void findSchemas(JsonValue value, String at, Set<String> unknown) {
        if (value instanceof JsonObject o) {
            o.forEach((k, v) -> {
                if (k.equals("schema") || k.startsWith("x-")) {
                    keywords(v, at + "/" + k, unknown);
                } else if (!k.equals("examples")) {
                    findSchemas(v, at + "/" + k, unknown);
                }
            });
        } else if (value instanceof JsonArray array) {
            array.forEach(v -> findSchemas(v, at, unknown));
        }
    }

    private static void keywords(JsonValue schema, String at, Set<String> unknown) {
        if (!(schema instanceof JsonObject o)) {
            return;
        }
        o.forEach((k, v) -> {
            switch (k) {
                case "properties" -> v.asJsonObject().forEach((name, p) -> keywords(p, at + "/" + name, unknown));
                case "items", "not", "additionalProperties", "unevaluatedProperties" ->
                    keywords(v, at + "/" + k, unknown);
                case "oneOf", "anyOf", "allOf" -> v.asJsonArray().forEach(s -> keywords(s, at + "/" + k, unknown));
                default -> {
                    if (!KEYWORDS.contains(k)) {
                        unknown.add(at + ": " + k);
                    }
                }
            }
        });
    }

    /** The operations a check has named so far. */
    Set<String> called() {
        return Set.copyOf(called);
    }

    /** The operation {@code method path} (no query) goes to: a literal path before a templated one; fails if none. */
    String operation(String method, String path) {
        String exact = method + " " + path;
        Set<String> operations = operations();
        if (operations.contains(exact)) {
            return exact;
        }
        for (String op : operations) {
            String template = op.substring(op.indexOf(' ') + 1);
            String regex = Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            if (op.startsWith(method + " ") && path.matches(regex)) {
                return op;
            }
        }
        return fail("The document has no operation for " + exact);
    }

    /** Checks a JSON (or empty) answer to {@code method path}: a documented status, the documented type and body. */
    void checkResponse(String method, String path, int status, String contentType, String body) {
        String op = operation(method, path);
        JsonObject response = response(op, status);
        JsonObject content = response.getJsonObject("content");
        if (content == null || method.equals("HEAD")) {
            if (!method.equals("HEAD") && !body.isEmpty()) {
                fail(op + " " + status + " is documented without a body, but has one: " + body);
            }
            return;
        }
        JsonObject media = media(op, status, content, contentType);
        validate(media.get("schema"), body, op + " " + status);
    }

    /** Checks a streamed answer: a documented status and type, and each {@code data:} event against its schema. */
    void checkEvents(String method, String path, int status, String contentType, List<JsonObject> events) {
        String op = operation(method, path);
        JsonObject media = media(op, status, response(op, status).getJsonObject("content"), contentType);
        JsonValue schema = media.get("x-sse-data");
        if (schema == null) {
            fail(op + " " + status + " " + contentType + " documents no x-sse-data schema for its events");
        }
        for (JsonObject event : events) {
            validate(schema, Json.write(event), op + " event");
        }
    }

    /** Checks WebSocket traffic against the operation's {@code x-websocket-message} and {@code x-websocket-event}. */
    void checkSocket(String path, List<JsonObject> sent, List<JsonObject> received) {
        String op = operation("GET", path);
        response(op, 101);
        JsonObject operation = operationObject(op);
        sent.forEach(m -> validate(operation.get("x-websocket-message"), Json.write(m), op + " message"));
        received.forEach(e -> validate(operation.get("x-websocket-event"), Json.write(e), op + " event"));
    }

    /** Checks a request body the server accepted against the documented request schema. */
    void checkRequest(String method, String path, String body) {
        String op = operation(method, path);
        JsonObject requestBody = resolve(operationObject(op).getJsonObject("requestBody"));
        if (requestBody == null) {
            fail(op + " documents no request body, but the test sent one");
        }
        JsonObject media = requestBody.getJsonObject("content").getJsonObject("application/json");
        validate(media.get("schema"), body, op + " request");
    }

    private JsonObject operationObject(String op) {
        int space = op.indexOf(' ');
        return doc.getJsonObject("paths")
                .getJsonObject(op.substring(space + 1))
                .getJsonObject(op.substring(0, space).toLowerCase(Locale.ROOT));
    }

    /** The documented response for {@code status} (or the default); fails when there is none. */
    private JsonObject response(String op, int status) {
        called.add(op);
        JsonObject responses = operationObject(op).getJsonObject("responses");
        JsonValue response = responses.getOrDefault(String.valueOf(status), responses.get("default"));
        if (response == null) {
            fail(op + " answered " + status + ", which the document does not list: " + responses.keySet());
        }
        return resolve(response.asJsonObject());
    }

    private static JsonObject media(String op, int status, JsonObject content, String contentType) {
        String type = contentType == null ? "" : contentType.split(";")[0].strip();
        if (content == null || !content.containsKey(type)) {
            fail(op + " " + status + " answered " + contentType + ", the document has "
                    + (content == null ? "no body" : content.keySet()));
        }
        return content.getJsonObject(type);
    }

    /** A {@code $ref} to another part of the document (components.responses, requestBodies) followed. */
    private JsonObject resolve(JsonObject o) {
        if (o == null || !o.containsKey("$ref")) {
            return o;
        }
        JsonValue at = doc;
        for (String part : o.getString("$ref").substring(2).split("/")) {
            at = at.asJsonObject().get(part.replace("~1", "/").replace("~0", "~"));
        }
        return resolve(at.asJsonObject());
    }

    private void validate(JsonValue schemaJson, String instance, String what) {
        if (schemaJson == null) {
            fail(what + ": the document gives no schema");
        }
        String text = Json.write(absoluteRefs(strict(schemaJson)));
        Schema schema = schemas.computeIfAbsent(
                text,
                t -> registry.getSchema(
                        SchemaLocation.of("https://miu.test/schema/"
                                + UUID.nameUUIDFromBytes(t.getBytes(StandardCharsets.UTF_8))),
                        t,
                        InputFormat.JSON));
        var errors = schema.validate(instance, InputFormat.JSON);
        assertEquals(List.of(), errors.stream().map(Object::toString).toList(), what + " does not match: " + instance);
    }

    /**
     * {@code schema} with {@code unevaluatedProperties: false} added to each object schema that lists its
     * {@code properties} and says nothing of others: the document stays open to new fields for clients, and this
     * test requires every field sent to be documented.
     */
    private static JsonValue strict(JsonValue value) {
        if (value instanceof JsonArray array) {
            var out = Json.array();
            array.forEach(v -> out.add(strict(v)));
            return out.build();
        }
        if (!(value instanceof JsonObject o)) {
            return value;
        }
        var out = Json.object();
        o.forEach((k, v) -> out.add(k, strict(v)));
        if (o.get("properties") instanceof JsonObject
                && !o.containsKey("additionalProperties")
                && !o.containsKey("unevaluatedProperties")) {
            out.add("unevaluatedProperties", false);
        }
        return out.build();
    }

    /** {@code "#/components/..."} references made absolute, so a schema checked on its own finds the document's parts. */
    private static JsonValue absoluteRefs(JsonValue value) {
        if (value instanceof JsonArray array) {
            var out = Json.array();
            array.forEach(v -> out.add(absoluteRefs(v)));
            return out.build();
        }
        if (!(value instanceof JsonObject o)) {
            return value;
        }
        var out = Json.object();
        o.forEach((k, v) -> out.add(
                k,
                k.equals("$ref") && v instanceof JsonString s && s.getString().startsWith("#")
                        ? Json.string(BASE + s.getString())
                        : absoluteRefs(v)));
        return out.build();
    }
}
