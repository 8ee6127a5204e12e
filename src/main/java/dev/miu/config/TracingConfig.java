package dev.miu.config;

import dev.miu.core.ConfigurationException;
import dev.miu.core.tracing.TracingSettings;

import java.util.Map;

/**
 * Reads the {@code tracing} section of app.yaml and the standard OpenTelemetry variables. Setting
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} turns tracing on with export; {@code OTEL_SDK_DISABLED=true} turns it off.
 */
final class TracingConfig {

    private TracingConfig() {}

    static TracingSettings from(ConfigTree tracing, Map<String, String> env) {
        // every key is read before the environment is looked at: the keys read are the section's known keys
        String fileEndpoint =
                MiuConfig.blankToNull(tracing.get("otlp-endpoint").asString().orElse(null));
        String fileService = tracing.get("service-name").asString().orElse("miu");
        boolean fileEnabled = tracing.get("enabled").asBoolean().orElse(false);
        boolean captureContent = tracing.get("capture-content").asBoolean().orElse(false);
        int recent = tracing.get("recent-traces").asInt().orElse(200);
        if (recent < 0) {
            throw new ConfigurationException("tracing.recent-traces must be 0 or more");
        }

        String endpoint = MiuConfig.blankToNull(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        boolean tracesUrl = endpoint != null; // the signal's own variable is the whole URL, used as is
        if (endpoint == null) {
            endpoint = MiuConfig.blankToNull(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
        }
        if (endpoint == null) {
            endpoint = fileEndpoint;
        }
        boolean enabled = fileEnabled || endpoint != null;
        if ("true".equalsIgnoreCase(env.get("OTEL_SDK_DISABLED"))) {
            enabled = false;
        }
        String service = MiuConfig.blankToNull(env.get("OTEL_SERVICE_NAME"));
        if (service == null) {
            service = fileService;
        }
        return new TracingSettings(enabled, endpoint, service, captureContent, recent, tracesUrl);
    }
}
