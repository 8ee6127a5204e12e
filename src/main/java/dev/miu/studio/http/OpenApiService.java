package dev.miu.studio.http;

import dev.miu.core.MiuVersion;
import dev.miu.core.json.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 document of the studio's HTTP API. It is written by hand as
 * {@code openapi.yaml} beside the classes (readable, commented, a route is a few lines) and sent as JSON, with
 * {@code info.version} set to this build's. Readable without the API key, as {@code /docs} is: it says what the
 * routes are, not anything of this server's data or settings.
 */
public final class OpenApiService implements HttpService {

    public static final String PATH = "/openapi.json";
    static final String RESOURCE = "openapi.yaml";

    @Override
    public void routing(HttpRules rules) {
        rules.get(PATH, this::send);
    }

    /** The document as JSON, read from the class path once (per studio). */
    static JsonObject document() {
        Object tree;
        try (InputStream in = OpenApiService.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            var options = new LoaderOptions();
            options.setAllowDuplicateKeys(false); // a repeated path would silently replace the first
            tree = new Yaml(new SafeConstructor(options)).load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE + " from the jar", e);
        }
        if (!(Json.toJson(tree) instanceof JsonObject doc) || Json.object(doc, "info") == null) {
            throw new IllegalStateException(RESOURCE + " is not an OpenAPI document");
        }
        JsonObject info = Json.PROVIDER
                .createObjectBuilder(Json.object(doc, "info"))
                .add("version", MiuVersion.get())
                .build();
        return Json.PROVIDER.createObjectBuilder(doc).add("info", info).build();
    }

    private void send(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.send(Rendered.BYTES);
    }

    /** Read on the first request, not at start-up (which the YAML parse would slow); the JVM makes it once. */
    private static final class Rendered {
        static final byte[] BYTES = Json.write(document()).getBytes(StandardCharsets.UTF_8);
    }
}
