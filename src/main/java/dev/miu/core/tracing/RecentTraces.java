package dev.miu.core.tracing;

import dev.miu.core.json.Json;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the spans of the most recent traces in memory for the studio's trace view; a trace that is a single span
 * (an HTTP request that ran no agent) is not kept. Bounded: at most
 * {@code maxTraces} traces of at most {@code maxSpansPerTrace} spans; the oldest trace is dropped first.
 */
public final class RecentTraces implements SpanProcessor {

    private final int maxTraces;
    private final int maxSpansPerTrace;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, List<SpanData>> traces = new LinkedHashMap<>(16, 0.75f, false);

    public RecentTraces(int maxTraces, int maxSpansPerTrace) {
        if (maxTraces < 1 || maxSpansPerTrace < 1) {
            throw new IllegalArgumentException("bounds must be positive");
        }
        this.maxTraces = maxTraces;
        this.maxSpansPerTrace = maxSpansPerTrace;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        SpanData data = span.toSpanData();
        lock.lock();
        try {
            List<SpanData> spans = traces.computeIfAbsent(data.getTraceId(), id -> new ArrayList<>());
            if (spans.size() < maxSpansPerTrace) {
                spans.add(data);
            }
            boolean localRoot = !data.getParentSpanContext().isValid()
                    || data.getParentSpanContext().isRemote();
            if (localRoot && spans.size() == 1) {
                // A request that did no agent work (listing sessions, loading the page) would only crowd out turns.
                traces.remove(data.getTraceId());
            }
            while (traces.size() > maxTraces) {
                traces.remove(traces.keySet().iterator().next());
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }

    /** Traces that touched {@code conversationId} (every trace when null), newest first, as JSON for the studio. */
    public JsonArray toJson(String conversationId) {
        List<List<SpanData>> selected = new ArrayList<>();
        lock.lock();
        try {
            for (List<SpanData> spans : traces.values()) {
                if (conversationId == null
                        || spans.stream()
                                .anyMatch(s ->
                                        conversationId.equals(s.getAttributes().get(GenAi.CONVERSATION_ID)))) {
                    selected.add(List.copyOf(spans));
                }
            }
        } finally {
            lock.unlock();
        }
        var out = Json.array();
        for (int i = selected.size() - 1; i >= 0; i--) {
            out.add(traceJson(selected.get(i)));
        }
        return out.build();
    }

    private static JsonObject traceJson(List<SpanData> spans) {
        List<SpanData> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
        long start = sorted.getFirst().getStartEpochNanos();
        long end = sorted.stream().mapToLong(SpanData::getEndEpochNanos).max().orElse(start);
        SpanData root = sorted.stream()
                .filter(s -> !s.getParentSpanContext().isValid())
                .findFirst()
                .orElse(sorted.getFirst());
        var list = Json.array();
        for (SpanData s : sorted) {
            var span = Json.object()
                    .add("span_id", s.getSpanId())
                    .add("parent_id", s.getParentSpanContext().isValid() ? s.getParentSpanId() : "")
                    .add("name", s.getName())
                    .add("kind", s.getKind().name().toLowerCase(java.util.Locale.ROOT))
                    .add("start_ms", (s.getStartEpochNanos() - start) / 1e6)
                    .add("duration_ms", (s.getEndEpochNanos() - s.getStartEpochNanos()) / 1e6)
                    .add("status", s.getStatus().getStatusCode().name().toLowerCase(java.util.Locale.ROOT));
            var attributes = Json.object();
            s.getAttributes().forEach((AttributeKey<?> k, Object v) -> attributes.add(k.getKey(), Json.toJson(v)));
            span.add("attributes", attributes);
            list.add(span);
        }
        return Json.object()
                .add("trace_id", root.getTraceId())
                .add("name", root.getName())
                .add("started_at", java.time.Instant.ofEpochSecond(0, start).toString())
                .add("duration_ms", (end - start) / 1e6)
                .add("spans", list)
                .build();
    }
}
