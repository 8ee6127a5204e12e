package dev.miu.core.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

/** Builds a {@link Tracing} from {@link TracingSettings} with the OpenTelemetry SDK: OTLP/HTTP export and the recent-traces store. */
public final class TracingSetup {

    private TracingSetup() {}

    /** The configured tracing; {@link Tracing#NOOP} when disabled. Call {@link #shutdown} to flush on exit. */
    public static Tracing create(TracingSettings settings) {
        if (!settings.enabled()) {
            return Tracing.NOOP;
        }
        var resource = Resource.getDefault()
                .merge(Resource.create(Attributes.of(
                        io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), settings.serviceName())));
        var provider = SdkTracerProvider.builder().setResource(resource);
        RecentTraces recent = null;
        if (settings.recentTraces() > 0) {
            recent = new RecentTraces(settings.recentTraces(), 500);
            provider.addSpanProcessor(recent);
        }
        if (settings.otlpEndpoint() != null && !settings.otlpEndpoint().isBlank()) {
            String endpoint = settings.tracesEndpoint();
            provider.addSpanProcessor(BatchSpanProcessor.builder(ExportFailureReport.wrap(
                            OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build(), endpoint))
                    .build());
        }
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(provider.build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        return new Tracing(sdk, settings.captureContent(), recent);
    }

    /** Flushes and stops exporters of a tracing made by {@link #create}. */
    public static void shutdown(Tracing tracing) {
        if (tracing.openTelemetry() instanceof OpenTelemetrySdk sdk) {
            sdk.getSdkTracerProvider().forceFlush().join(5, java.util.concurrent.TimeUnit.SECONDS);
            sdk.close();
        }
    }
}
