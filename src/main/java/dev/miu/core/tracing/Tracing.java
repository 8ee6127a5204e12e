package dev.miu.core.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;

import java.util.Objects;

/**
 * miu's tracing handle: a tracer, whether message content may be recorded, and the propagators for outgoing calls.
 * It is installed once per process by whoever reads the configuration (the CLI or the studio), like
 * OpenTelemetry's own global, because agents, patterns and providers are built in many places; until then it is
 * the no-op, which costs nothing.
 */
public final class Tracing {

    /** Carries the conversation (session) id from the agent span to the spans beneath it. */
    public static final ContextKey<String> CONVERSATION = ContextKey.named("miu.conversation.id");

    public static final Tracing NOOP = new Tracing(OpenTelemetry.noop(), false, null);

    private static volatile Tracing current = NOOP;

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final boolean captureContent;
    private final RecentTraces recent;

    public Tracing(OpenTelemetry openTelemetry, boolean captureContent, RecentTraces recent) {
        this.openTelemetry = Objects.requireNonNull(openTelemetry);
        this.tracer = openTelemetry.getTracer("dev.miu", "1");
        this.captureContent = captureContent;
        this.recent = recent;
    }

    public static Tracing current() {
        return current;
    }

    /** Makes {@code tracing} the process's tracing; returns the previous one (tests restore it). */
    public static Tracing install(Tracing tracing) {
        Tracing previous = current;
        current = Objects.requireNonNull(tracing);
        return previous;
    }

    public Tracer tracer() {
        return tracer;
    }

    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    public boolean captureContent() {
        return captureContent;
    }

    /** The in-memory store of recent traces, or null when it is off. */
    public RecentTraces recent() {
        return recent;
    }

    public boolean enabled() {
        return this != NOOP;
    }

    /** Starts a span as a child of the current context, tagged with the operation and the conversation id. */
    public Span start(String name, SpanKind kind, String operation) {
        Span span = tracer.spanBuilder(name)
                .setSpanKind(kind)
                .setAttribute(GenAi.OPERATION_NAME, operation)
                .startSpan();
        String conversation = Context.current().get(CONVERSATION);
        if (conversation != null) {
            span.setAttribute(GenAi.CONVERSATION_ID, conversation);
        }
        return span;
    }

    /**
     * Runs {@code body} inside an INTERNAL span named {@code name} (current while it runs, so agent spans nest under
     * it), recording a thrown exception as the span's error.
     */
    public <T> T inSpan(String name, String operation, java.util.function.Function<Span, T> body) {
        Span span = start(name, SpanKind.INTERNAL, operation);
        try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
            return body.apply(span);
        } catch (RuntimeException | Error e) {
            fail(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** Adds the W3C {@code traceparent} (and {@code tracestate}) of the current span to an outgoing request's headers. */
    public void inject(java.util.function.BiConsumer<String, String> header) {
        openTelemetry
                .getPropagators()
                .getTextMapPropagator()
                .inject(Context.current(), header, (sink, key, value) -> sink.accept(key, value));
    }

    /** Records a failure on {@code span}: status ERROR, the error type, and the exception event. */
    public static void fail(Span span, Throwable error) {
        span.setStatus(
                StatusCode.ERROR, error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
        span.setAttribute(GenAi.ERROR_TYPE, error.getClass().getName());
        span.recordException(error);
    }
}
