package dev.miu.studio;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Lists the routes a routing method declares: an {@link HttpRules} that runs each registered service's
 * {@code routing} under its prefix and records {@code "METHOD /path"} instead of serving anything. A route given in a
 * form it cannot read the path of (a built {@link HttpRoute}) fails, so no route is ever missed silently.
 */
final class RouteWalker implements HttpRules {

    /** What {@code any(handler)} without a path declares: the catch-all. */
    static final String CATCH_ALL = "ANY *";

    private final String prefix;
    private final Set<String> routes;

    private RouteWalker(String prefix, Set<String> routes) {
        this.prefix = prefix;
        this.routes = routes;
    }

    /** The routes {@link StudioRouting#routes} mounts for {@code studio}, sorted. */
    static Set<String> routes(Studio studio) {
        var walker = new RouteWalker("", new TreeSet<>());
        StudioRouting.routes(walker, studio);
        return walker.routes;
    }

    @Override
    public HttpRules register(HttpService... services) {
        for (HttpService service : services) {
            service.routing(this);
        }
        return this;
    }

    @Override
    public HttpRules register(String path, HttpService... services) {
        var nested = new RouteWalker(join(prefix, path), routes);
        for (HttpService service : services) {
            service.routing(nested);
        }
        return this;
    }

    @Override
    public HttpRules route(HttpRoute route) {
        throw new AssertionError(
                "RouteWalker cannot read the path of a built HttpRoute; declare it with get(path, ...)");
    }

    @Override
    public HttpRules route(Method method, String pathPattern, Handler handler) {
        return add(method.text(), pathPattern);
    }

    @Override
    public HttpRules get(String pathPattern, Handler... handlers) {
        return add("GET", pathPattern);
    }

    @Override
    public HttpRules post(String pathPattern, Handler... handlers) {
        return add("POST", pathPattern);
    }

    @Override
    public HttpRules put(String pathPattern, Handler... handlers) {
        return add("PUT", pathPattern);
    }

    @Override
    public HttpRules patch(String pathPattern, Handler... handlers) {
        return add("PATCH", pathPattern);
    }

    @Override
    public HttpRules delete(String pathPattern, Handler... handlers) {
        return add("DELETE", pathPattern);
    }

    @Override
    public HttpRules head(String pathPattern, Handler... handlers) {
        return add("HEAD", pathPattern);
    }

    @Override
    public HttpRules options(String pathPattern, Handler... handlers) {
        return add("OPTIONS", pathPattern);
    }

    @Override
    public HttpRules trace(String pathPattern, Handler... handlers) {
        return add("TRACE", pathPattern);
    }

    @Override
    public HttpRules any(String pathPattern, Handler... handlers) {
        return add("ANY", pathPattern);
    }

    @Override
    public HttpRules any(Handler... handlers) {
        if (!prefix.isEmpty()) {
            return add("ANY", "/*");
        }
        routes.add(CATCH_ALL);
        return this;
    }

    @Override
    public HttpRules get(Handler... handlers) {
        return add("GET", "/*");
    }

    @Override
    public HttpRules post(Handler... handlers) {
        return add("POST", "/*");
    }

    @Override
    public HttpRules put(Handler... handlers) {
        return add("PUT", "/*");
    }

    @Override
    public HttpRules patch(Handler... handlers) {
        return add("PATCH", "/*");
    }

    @Override
    public HttpRules delete(Handler... handlers) {
        return add("DELETE", "/*");
    }

    @Override
    public HttpRules head(Handler... handlers) {
        return add("HEAD", "/*");
    }

    @Override
    public HttpRules options(Handler... handlers) {
        return add("OPTIONS", "/*");
    }

    @Override
    public HttpRules trace(Handler... handlers) {
        return add("TRACE", "/*");
    }

    private HttpRules add(String method, String pathPattern) {
        routes.add(method + " " + join(prefix, pathPattern));
        return this;
    }

    private static String join(String prefix, String path) {
        if (path.isEmpty() || path.equals("/")) {
            return prefix.isEmpty() ? "/" : prefix;
        }
        return prefix + (path.startsWith("/") ? path : "/" + path);
    }

    /** For a failure message: the routes, one a line. */
    static String lines(Iterable<String> routes) {
        List<String> out = new ArrayList<>();
        routes.forEach(out::add);
        return String.join("\n", out);
    }
}
