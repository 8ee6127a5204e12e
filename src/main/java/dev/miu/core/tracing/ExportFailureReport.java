package dev.miu.core.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Wraps the OTLP exporter so an unreachable collector is reported once, in one line, instead of a SEVERE record
 * with a stack trace for every batch (what OpenTelemetry's exporter writes). After an export that works again, a
 * later failure is reported again, once. OpenTelemetry's own exporter log is turned off for as long as this reports
 * for it, unless the user has set its level.
 */
final class ExportFailureReport implements SpanExporter {

    private static final System.Logger LOG = System.getLogger(ExportFailureReport.class.getName());
    /** The OTLP exporters' own loggers (HttpExporter and its senders). Held: JUL keeps loggers weakly. */
    private static final Logger OTEL_EXPORTER_LOG = Logger.getLogger("io.opentelemetry.exporter");

    private final SpanExporter delegate;
    private final String endpoint;
    private final Consumer<String> report;
    private final AtomicBoolean failing = new AtomicBoolean();

    /** Reports a failure as a WARNING of miu's; {@code endpoint} is where the spans go. */
    static SpanExporter wrap(SpanExporter delegate, String endpoint) {
        if (OTEL_EXPORTER_LOG.getLevel() == null) {
            OTEL_EXPORTER_LOG.setLevel(Level.OFF);
        }
        return new ExportFailureReport(delegate, endpoint, line -> LOG.log(System.Logger.Level.WARNING, line));
    }

    ExportFailureReport(SpanExporter delegate, String endpoint, Consumer<String> report) {
        this.delegate = delegate;
        this.endpoint = endpoint;
        this.report = report;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        CompletableResultCode result = delegate.export(spans);
        result.whenComplete(() -> {
            if (result.isSuccess()) {
                if (failing.compareAndSet(true, false)) {
                    report.accept("tracing: exporting spans to " + endpoint + " works again");
                }
            } else if (failing.compareAndSet(false, true)) {
                report.accept("tracing: cannot export spans to " + endpoint + reason(result.getFailureThrowable())
                        + "; spans are dropped until it answers (reported once)");
            }
        });
        return result;
    }

    /**
     * What went wrong, for a user: "cannot connect" when nothing answers (the JDK's client says only
     * "java.net.ConnectException" there), else the first message along the causes, else the outermost type.
     */
    private static String reason(Throwable failure) {
        if (failure == null) {
            return "";
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return ": cannot connect";
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return ": " + t.getMessage();
            }
        }
        return ": " + failure.getClass().getSimpleName();
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }
}
