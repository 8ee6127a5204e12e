package dev.miu.core.tracing;

/**
 * How tracing is set up.
 *
 * @param enabled        whether to trace at all (off by default: the no-op tracer)
 * @param otlpEndpoint   base URL of an OTLP/HTTP collector (spans go to {@code /v1/traces}), or null for no export
 * @param serviceName    {@code service.name} of the resource
 * @param captureContent whether prompts, answers and tool arguments/results are recorded on spans
 * @param recentTraces   how many traces the in-memory view keeps (0 for none)
 * @param tracesUrl      whether {@code otlpEndpoint} is already the URL spans go to, used as is (as the OpenTelemetry
 *                       specification has it for {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}), rather than a base URL
 */
public record TracingSettings(
        boolean enabled,
        String otlpEndpoint,
        String serviceName,
        boolean captureContent,
        int recentTraces,
        boolean tracesUrl) {

    public static final TracingSettings OFF = new TracingSettings(false, null, "miu", false, 0);

    /** Settings whose endpoint is a base URL (spans go to {@code /v1/traces} under it). */
    public TracingSettings(
            boolean enabled, String otlpEndpoint, String serviceName, boolean captureContent, int recentTraces) {
        this(enabled, otlpEndpoint, serviceName, captureContent, recentTraces, false);
    }

    /** Where spans are sent ({@code /v1/traces} under a base endpoint), or null when they are not exported. */
    public String tracesEndpoint() {
        if (!enabled || otlpEndpoint == null || otlpEndpoint.isBlank()) {
            return null;
        }
        String base = otlpEndpoint.strip();
        if (tracesUrl) {
            return base;
        }
        return base.endsWith("/v1/traces") ? base : (base.endsWith("/") ? base : base + "/") + "v1/traces";
    }

    /** One line for a start-up banner: whether tracing is on and where its spans go. */
    public String describe() {
        if (!enabled) {
            return "off (set OTEL_EXPORTER_OTLP_ENDPOINT or tracing.enabled to trace)";
        }
        String kept = recentTraces > 0 ? "the last " + recentTraces + " traces at /api/v1/traces" : null;
        String export = tracesEndpoint() == null ? null : "exporting to " + tracesEndpoint() + " (OTLP/HTTP)";
        String where = export == null
                ? (kept == null ? "not exported or kept" : "not exported; " + kept)
                : kept == null ? export : export + "; " + kept;
        return "on, service " + serviceName + ", " + where + (captureContent ? ", content captured" : "");
    }
}
