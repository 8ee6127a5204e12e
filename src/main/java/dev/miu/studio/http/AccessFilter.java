package dev.miu.studio.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.Optional;

/**
 * Runs before every route: refuses a {@code Host} that is not this server's (DNS rebinding), answers CORS preflights, refuses cross-origin writes from origins not allowed, adds
 * CORS headers for allowed ones, and requires the bearer token on {@code /api}, {@code /v1} and {@code /mcp} routes (health probes aside) when one is configured.
 */
public final class AccessFilter implements Filter {

    private final AccessPolicy policy;

    public AccessFilter(AccessPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        Optional<String> host = req.headers().first(HeaderNames.HOST);
        if (!policy.hostAllowed(host)) {
            HttpJson.detail(res, 403, AllowedHosts.refusal(host));
            return;
        }
        boolean crossOrigin = origin.isPresent() && !AccessPolicy.sameOrigin(origin.get(), host);
        Method method = req.prologue().method();
        if (crossOrigin) {
            if (!policy.corsAllowed(origin.get())) {
                // Reads are harmless without CORS headers (the browser hides them); writes must not run at all.
                if (method != Method.GET && method != Method.HEAD) {
                    HttpJson.detail(res, 403, "Origin " + origin.get() + " is not allowed (server.cors-origins)");
                    return;
                }
            } else {
                res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin.get());
                res.header(HeaderNames.VARY, "Origin");
                res.header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "Mcp-Session-Id");
                if (method == Method.OPTIONS && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
                    res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, PATCH, DELETE, OPTIONS");
                    // an origin listed in server.cors-origins is trusted: it may send the headers it asks for (the
                    // OpenAI SDKs send x-stainless-*); else the ones miu's own protocols use
                    res.header(
                            HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS,
                            req.headers()
                                    .first(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS)
                                    .filter(h -> h.length() <= 2000)
                                    .orElse("Authorization, Content-Type, Mcp-Session-Id, MCP-Protocol-Version,"
                                            + " Last-Event-ID, A2A-Version, X-Miu-Session-Id"));
                    res.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
                    res.status(204).send();
                    return;
                }
            }
        }
        String path = req.path().path();
        boolean openAi = path.equals("/v1") || path.startsWith("/v1/");
        if (policy.authRequired()
                && (openAi
                        || path.equals("/api")
                        || path.startsWith("/api/")
                        || path.equals("/mcp")
                        || path.startsWith("/mcp/"))
                && !AccessPolicy.openWithoutKey(method.text(), path)) {
            Optional<String> token = AccessPolicy.bearer(req.headers().first(HeaderNames.AUTHORIZATION));
            if (!policy.tokenAccepted(token.orElse(null))) {
                res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
                String message = "Missing or invalid API key: send 'Authorization: Bearer <MIU_API_KEY>'";
                if (openAi) { // the OpenAI-compatible API answers as OpenAI does, so its clients show the message
                    HttpJson.send(res, 401, openAiError(message, "authentication_error", "invalid_api_key"));
                } else {
                    HttpJson.detail(res, 401, message);
                }
                return;
            }
        }
        chain.proceed();
    }

    /** OpenAI's error shape, {@code {"error": {"message", "type", "param", "code"}}}. */
    private static jakarta.json.JsonObject openAiError(String message, String type, String code) {
        return dev.miu.core.json.Json.object()
                .add(
                        "error",
                        dev.miu.core.json.Json.object()
                                .add("message", message)
                                .add("type", type)
                                .add("param", jakarta.json.JsonValue.NULL)
                                .add("code", code))
                .build();
    }
}
