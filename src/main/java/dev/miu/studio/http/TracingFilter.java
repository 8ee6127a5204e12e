package dev.miu.studio.http;

import dev.miu.core.tracing.Tracing;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.List;

/**
 * A SERVER span per studio HTTP request, continuing the caller's trace when it sends a W3C {@code traceparent}.
 * Does nothing when tracing is off.
 */
public final class TracingFilter implements Filter {

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private static final TextMapGetter<RoutingRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(RoutingRequest request) {
            return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(RoutingRequest request, String key) {
            if (request == null) {
                return null;
            }
            HeaderName name = HeaderNames.create(key);
            return request.headers().contains(name)
                    ? request.headers().get(name).get()
                    : null;
        }
    };

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Tracing tracing = Tracing.current();
        if (!tracing.enabled()) {
            chain.proceed();
            return;
        }
        Context parent =
                tracing.openTelemetry().getPropagators().getTextMapPropagator().extract(Context.root(), req, HEADERS);
        String route = route(req.path().path());
        Span span = tracing.tracer()
                .spanBuilder(req.prologue().method().text() + " " + route)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, req.prologue().method().text())
                .setAttribute(PATH, req.path().path())
                .setAttribute(ROUTE, route)
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            chain.proceed();
            int status = res.status().code();
            span.setAttribute(STATUS, (long) status);
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
        } catch (RuntimeException e) {
            Tracing.fail(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** The route template: session ids become {id}, so spans group by endpoint rather than by session. */
    static String route(String path) {
        return path.replaceAll("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", "{id}");
    }
}
