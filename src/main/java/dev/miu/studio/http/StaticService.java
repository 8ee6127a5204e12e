package dev.miu.studio.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The browser UI: {@code /} is {@code static/index.html}, {@code /docs} the API's Swagger UI
 * ({@code static/docs.html}), {@code /static/*} the other files, read from inside the
 * jar (so {@code java -jar} works from any directory) and sent with a Content-Security-Policy that allows only
 * this server's own scripts, styles and connections.
 */
public final class StaticService implements HttpService {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final String ROOT = "static/";
    private static final String WEBJARS = "META-INF/resources/webjars/";
    /** Path segments start with a letter or digit, so {@code ..} and hidden files can never be named. */
    private static final Pattern SAFE_PATH =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*");

    private static final Map<String, String> TYPES = Map.of(
            "html",
            "text/html; charset=utf-8",
            "js",
            "text/javascript; charset=utf-8",
            "css",
            "text/css; charset=utf-8",
            "svg",
            "image/svg+xml",
            "png",
            "image/png",
            "ico",
            "image/x-icon",
            "json",
            "application/json",
            "map",
            "application/json",
            "woff2",
            "font/woff2",
            "txt",
            "text/plain; charset=utf-8");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::index)
                .get("/docs", this::docs)
                .get("/static/*", this::file)
                .get("/webjars/*", this::webjar);
    }

    private void index(ServerRequest req, ServerResponse res) {
        send(res, ROOT + "index.html");
    }

    /** The API's documentation: Swagger UI (from its WebJar) over {@code /openapi.json}. */
    private void docs(ServerRequest req, ServerResponse res) {
        send(res, ROOT + "docs.html");
    }

    private void file(ServerRequest req, ServerResponse res) {
        serveUnder(req, res, "/static/", ROOT);
    }

    /** The UI's libraries (marked, DOMPurify, highlight.js) from their WebJars on the class path: no CDN needed. */
    private void webjar(ServerRequest req, ServerResponse res) {
        serveUnder(req, res, "/webjars/", WEBJARS);
    }

    private void serveUnder(ServerRequest req, ServerResponse res, String prefix, String root) {
        String path = req.path().path();
        // "/static" itself matches "/static/*" too
        String relative = path.length() > prefix.length() ? path.substring(prefix.length()) : "";
        if (!SAFE_PATH.matcher(relative).matches()) {
            Errors.notFound(req, res);
            return;
        }
        send(res, root + relative);
    }

    private void send(ServerResponse res, String resource) {
        // Only files that exist are cached, so requests for made-up paths cannot grow the cache.
        Optional<byte[]> bytes = Optional.ofNullable(cache.get(resource)).or(() -> load(resource));
        if (bytes.isEmpty()) {
            HttpJson.detail(res, 404, "Not Found");
            return;
        }
        cache.putIfAbsent(resource, bytes.get());
        String ext = resource.substring(resource.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        res.header(HeaderNames.CONTENT_TYPE, TYPES.getOrDefault(ext, "application/octet-stream"));
        res.header(HeaderNames.create("Content-Security-Policy"), CSP);
        res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.send(bytes.get());
    }

    private static Optional<byte[]> load(String resource) {
        try (InputStream in = StaticService.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource + " from the jar", e);
        }
    }
}
