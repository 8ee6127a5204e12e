package dev.miu.core.tracing;

/**
 * How tracing is set up.
 *
 * @param enabled        whether to trace at all (off by default: the no-op tracer)
 * @param otlpEndpoint   base URL of an OTLP/HTTP collector (spans go to {@code /v1/traces}), or null for no export
 * @param serviceName    {@code service.name} of the resource
 * @param captureContent whether prompts, answers and tool arguments/results are recorded on spans
 * @param recentTraces   how many traces the in-memory view keeps (0 for none)
 */
public record TracingSettings(boolean enabled, String otlpEndpoint, String serviceName, boolean captureContent,
                              int recentTraces) {

    public static final TracingSettings OFF = new TracingSettings(false, null, "miu", false, 0);
}
