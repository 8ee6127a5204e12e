package dev.miu.config;

import dev.miu.core.tracing.TracingSettings;

import java.util.Map;

/**
 * Reads the {@code tracing} section of app.yaml and the standard OpenTelemetry variables. Setting
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} turns tracing on with export; {@code OTEL_SDK_DISABLED=true} turns it off.
 */
public final class TracingConfig {

    private TracingConfig() {
    }

    public static TracingSettings load(MiuConfig config, Map<String, String> env) {
        ConfigTree tracing = config.yaml().get("tracing");
        String endpoint = MiuConfig.blankToNull(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        boolean tracesUrl = endpoint != null; // the signal's own variable is the whole URL, used as is
        if (endpoint == null) {
            endpoint = MiuConfig.blankToNull(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
        }
        if (endpoint == null) {
            endpoint = MiuConfig.blankToNull(tracing.get("otlp-endpoint").asString().orElse(null));
        }
        boolean enabled = tracing.get("enabled").asBoolean().orElse(false) || endpoint != null;
        if ("true".equalsIgnoreCase(env.get("OTEL_SDK_DISABLED"))) {
            enabled = false;
        }
        String service = MiuConfig.blankToNull(env.get("OTEL_SERVICE_NAME"));
        if (service == null) {
            service = tracing.get("service-name").asString().orElse("miu");
        }
        int recent = tracing.get("recent-traces").asInt().orElse(200);
        if (recent < 0) {
            throw new dev.miu.core.ConfigurationException("tracing.recent-traces must be 0 or more");
        }
        return new TracingSettings(enabled, endpoint, service, tracing.get("capture-content").asBoolean().orElse(false),
                recent, tracesUrl);
    }
}
