package dev.miu.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The OpenTelemetry variables as the specification reads them. */
class TracingConfigTest {

    private static String tracesEndpoint(Map<String, String> env) {
        return MiuConfig.load(null, env).tracing().tracesEndpoint();
    }

    @Test
    void theBaseEndpointGetsTheSignalPathAndTheTracesEndpointIsUsedAsIs() {
        assertEquals(
                "http://collector:4318/v1/traces",
                tracesEndpoint(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")));
        assertEquals(
                "http://collector:4318/v1/traces",
                tracesEndpoint(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/")));
        assertEquals(
                "https://gateway.example.com/otel/spans",
                tracesEndpoint(Map.of(
                        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://gateway.example.com/otel/spans",
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")));
    }

    @Test
    void sdkDisabledWins() {
        var env = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318", "OTEL_SDK_DISABLED", "true");
        var settings = MiuConfig.load(null, env).tracing();
        assertFalse(settings.enabled());
        assertNull(settings.tracesEndpoint());
    }
}
