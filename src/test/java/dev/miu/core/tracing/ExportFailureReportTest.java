package dev.miu.core.tracing;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An unreachable OTLP collector is reported once, in one line, not once per batch with a stack trace. */
@Timeout(120)
class ExportFailureReportTest {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                records.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private final Logger root = Logger.getLogger("");

    @BeforeEach
    void listen() {
        root.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        root.removeHandler(capture);
    }

    @Test
    void anUnreachableCollectorIsReportedOnceAndItsRecoveryOnce() throws Exception {
        int port;
        try (var free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        String endpoint = "http://127.0.0.1:" + port;
        Tracing tracing = TracingSetup.create(new TracingSettings(true, endpoint, "miu-test", false, 0));
        try {
            for (int batch = 0; batch < 3; batch++) {
                tracing.start("span " + batch, SpanKind.INTERNAL, "test").end();
                flush(tracing);
            }
            assertEquals(1, records.size(), () -> "one report for three failed batches: " + describe(records));
            String line = records.get(0).getMessage();
            assertEquals(
                    "tracing: cannot export spans to " + endpoint + "/v1/traces: cannot connect; spans are dropped"
                            + " until it answers (reported once)",
                    line);
            assertEquals(null, records.get(0).getThrown(), "no stack trace");

            HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            collector.createContext("/v1/traces", exchange -> {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            collector.start();
            try {
                tracing.start("after", SpanKind.INTERNAL, "test").end();
                flush(tracing);
            } finally {
                collector.stop(0);
            }
            assertEquals(2, records.size(), () -> describe(records));
            assertEquals(
                    "tracing: exporting spans to " + endpoint + "/v1/traces works again",
                    records.get(1).getMessage());
        } finally {
            TracingSetup.shutdown(tracing);
        }
    }

    @Test
    void theBannerLineSaysWhetherTracingIsOnAndWhereItExports() {
        assertEquals(
                "off (set OTEL_EXPORTER_OTLP_ENDPOINT or tracing.enabled to trace)", TracingSettings.OFF.describe());
        assertEquals(
                "on, service miu, exporting to http://collector:4318/v1/traces (OTLP/HTTP); the last 200 traces"
                        + " at /api/v1/traces",
                new TracingSettings(true, "http://collector:4318", "miu", false, 200).describe());
        assertEquals(
                "on, service svc, not exported; the last 50 traces at /api/v1/traces, content captured",
                new TracingSettings(true, null, "svc", true, 50).describe());
    }

    private static void flush(Tracing tracing) {
        var sdk = (OpenTelemetrySdk) tracing.openTelemetry();
        sdk.getSdkTracerProvider().forceFlush().join(60, TimeUnit.SECONDS);
    }

    private static String describe(List<LogRecord> records) {
        return records.stream()
                .map(r -> r.getLoggerName() + " " + r.getLevel() + " " + r.getMessage())
                .toList()
                .toString();
    }
}
